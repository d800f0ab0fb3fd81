import { describe, expect, it } from "vitest";
import { api } from "../helpers/auth";

describe("courses in the OpenAPI document", () => {
  it("publishes every route with its schemas, and says who sees a course", async () => {
    const doc = (await api("GET", "/openapi.json")).body;
    const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    expect(methods("/v1/courses")).toEqual(["get", "post"]);
    expect(methods("/v1/courses/{id}")).toEqual(["delete", "get", "patch"]);
    expect(methods("/v1/courses/{id}/lessons")).toEqual(["post"]);
    expect(methods("/v1/courses/{id}/lessons/order")).toEqual(["put"]);
    expect(methods("/v1/courses/{id}/lessons/{lessonId}")).toEqual(["delete", "get", "patch"]);
    expect(methods("/v1/courses/{id}/lessons/{lessonId}/progress")).toEqual(["put"]);
    expect(methods("/v1/courses/{id}/enrollment")).toEqual(["delete", "post"]);
    for (const path of ["/v1/courses/{id}/cover", "/v1/courses/{id}/stats", "/v1/courses/{id}/lessons/{lessonId}/media", "/v1/me/courses", "/v1/me/teaching", "/v1/users/{username}/courses"]) {
      expect(methods(path), path).toEqual(["get"]);
    }
    expect(doc.paths["/v1/courses/{id}"].get.description).toContain("its educator always");
    expect(doc.paths["/v1/courses/{id}/enrollment"].post.responses["402"]).toBeDefined();
    expect(doc.paths["/v1/courses"].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["level", "language", "price", "q", "cursor", "limit"]));
    for (const schema of ["Course", "CourseSummary", "CourseLesson", "CourseEnrollment", "CourseStats", "CreateCourse", "UpdateCourse", "CreateLesson", "UpdateLesson", "ReorderLessons"]) {
      expect(doc.components.schemas[schema], schema).toBeDefined();
    }
    // a quiz summary has no room for the questions or their answers
    expect(Object.keys(doc.components.schemas.CourseQuizSummary.properties)).not.toContain("questions");
  });
});
