import { render } from "preact";
import { App } from "./app";
import { applyStoredTheme, startSession } from "./session";

applyStoredTheme();
startSession();
render(<App />, document.getElementById("app")!);
