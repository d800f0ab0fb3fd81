import { Component, type ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { ErrorBoundary as LazyErrorBoundary, LocationProvider, Route, Router, useLocation } from "preact-iso";
import { errorMessage } from "./api";
import { paths } from "./paths";
import { PlayerBar } from "./player/PlayerBar";
import { nav, routes, type AppRoute } from "./routes";
import { SignIn } from "./screens/SignIn";
import { NotFound } from "./screens/NotFound";
import { badgeText, chatUnread, unreadLabel, watchChatUnread } from "./screens/chat/unread";
import { me, reloadMe, sessionStatus, signOut } from "./session";
import { Button, Loading } from "./ui";

/** Links the Worker answers itself (API, docs): followed by the browser, not the client router. */
const ROUTER_SCOPE = /^\/(?!v1\/|v1$|docs|openapi\.json|health|dev\/)/;

/** The app shell: skip link, header and navigation, the routed screen, and the player bar. */
export function App() {
  return (
    <LocationProvider scope={ROUTER_SCOPE}>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Screens />
      </main>
      <PlayerBar />
    </LocationProvider>
  );
}

function skipToMain(e: Event) {
  e.preventDefault();
  document.getElementById("main")?.focus();
}

/** After a navigation, move focus to the new screen's heading so screen readers announce it. */
function focusScreen() {
  requestAnimationFrame(() => {
    const target = document.querySelector<HTMLElement>("main h1") ?? document.getElementById("main");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  });
}

// Each route's component, wrapped once (not per render) when it needs an account.
const routeComponents = new Map(routes.map((r) => [r.path, r.auth ? requireAccount(r) : r.component]));

function Screens() {
  const { url } = useLocation();
  return (
    <ScreenErrorBoundary key={url}>
      <LazyErrorBoundary>
        <Router onRouteChange={focusScreen}>
          {[
            ...routes.map((r) => <Route key={r.path} path={r.path} component={routeComponents.get(r.path)!} />),
            <Route key="*" default component={NotFound} />,
          ]}
        </Router>
      </LazyErrorBoundary>
    </ScreenErrorBoundary>
  );
}

function requireAccount(route: AppRoute) {
  const Screen = route.component;
  function Guarded(props: Record<string, unknown>) {
    const status = sessionStatus.value;
    if (status === "loading") return <Loading label="Signing you in…" />;
    if (status === "unavailable") return <Unavailable />;
    if (status === "signed-out") return <SignIn notice={route.path === "/" ? undefined : "Sign in to see this page."} />;
    return <Screen {...props} />;
  }
  Guarded.displayName = `RequireAccount(${route.path})`;
  return Guarded;
}

function Unavailable() {
  return (
    <div role="alert" class="form-error">
      Veza cannot be reached right now. <Button onClick={() => void reloadMe().catch(() => undefined)}>Try again</Button>
    </div>
  );
}

/** A screen that throws shows the error in its place; the header and the player keep working. */
class ScreenErrorBoundary extends Component<{ children?: ComponentChildren }, { error: unknown }> {
  override state = { error: null as unknown };
  override componentDidCatch(error: unknown) {
    console.error(error);
    this.setState({ error });
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section role="alert" aria-labelledby="screen-error-title">
        <h1 id="screen-error-title">This page could not be shown</h1>
        <p>{errorMessage(this.state.error)}</p>
        <Button onClick={() => location.reload()}>Reload</Button>
      </section>
    );
  }
}

function Header() {
  const { path } = useLocation();
  const status = sessionStatus.value;
  const account = me.value;
  const current = (href: string) => (href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`));
  // The Chat link's unread badge: kept fresh while signed in (open rooms correct it live).
  useEffect(() => (status === "signed-in" ? watchChatUnread() : undefined), [status]);
  const unread = status === "signed-in" ? chatUnread.value : 0;
  return (
    <header class="site-header">
      <div class="header-row">
        <a class="brand" href={paths.home} aria-label="Veza, home">
          Veza
        </a>
        <div class="account" aria-label="Account">
          {status === "signed-in" && account ? (
            <>
              <a href={paths.settings} class="account-link" aria-current={current(paths.settings) ? "page" : undefined}>
                <span class="visually-hidden">Settings for </span>@{account.username}
              </a>
              <Button variant="ghost" onClick={() => void signOut()}>
                Sign out
              </Button>
            </>
          ) : status === "signed-out" || status === "unavailable" ? (
            <>
              <a href={paths.signIn()} aria-current={path === "/sign-in" ? "page" : undefined}>
                Sign in
              </a>
              <a class="btn btn-primary" href={paths.signUp} aria-current={path === "/sign-up" ? "page" : undefined}>
                Create account
              </a>
            </>
          ) : null}
        </div>
      </div>
      <nav aria-label="Main">
        <ul>
          {nav.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={current(item.href) ? "page" : undefined}>
                {item.label}
                {item.href === paths.chat && unread > 0 ? (
                  <span class="nav-badge">
                    <span aria-hidden="true">{badgeText(unread)}</span>
                    <span class="visually-hidden">, {unreadLabel(unread)}</span>
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
