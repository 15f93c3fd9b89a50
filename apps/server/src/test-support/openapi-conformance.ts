// Checks a response against the server's own OpenAPI document: the operation the request path matches
// must list the status (or answer it with GitLab's error body), and a JSON body must match its schema.
// `api()` runs it on every response, so every server test that calls the API is a conformance test.

import { Ajv2020 } from "ajv/dist/2020.js";
import type { OpenApiDocument, OpenApiOperation } from "../openapi/openapi-document.js";

/** Why a response does not conform, or null when it does (or no operation is described for it). */
export type ConformanceCheck = (
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: string,
) => string | null;

const pointer = (...segments: string[]) =>
  segments.map((s) => encodeURIComponent(s.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");

/** A checker for one document. */
export function createConformanceCheck(doc: OpenApiDocument): ConformanceCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
  ajv.addSchema(doc as object, "openapi");
  const operations: Array<{ method: string; regex: RegExp; path: string; op: OpenApiOperation }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const source = op["x-buildsim-route"]
        .split("/")
        .map((seg) =>
          seg.startsWith(":")
            ? "[^/]+"
            : seg.startsWith("*")
              ? ".+"
              : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
        )
        .join("/");
      operations.push({ method: method.toUpperCase(), regex: new RegExp(`^${source}$`), path, op });
    }
  }
  const validators = new Map<string, ReturnType<Ajv2020["compile"]>>();
  return (method, path, status, contentType, body) => {
    const m = method === "HEAD" ? "GET" : method;
    const found = operations.find((o) => o.method === m && o.regex.test(path));
    if (!found) return null;
    const key = found.op.responses[String(status)] ? String(status) : status >= 400 ? "default" : null;
    if (key === null) return `${method} ${path}: status ${status} is not in the document`;
    const content = found.op.responses[key]?.content;
    if (!content)
      return body === "" ? null : `${method} ${path} ${status}: a body where the document has none`;
    if (!contentType?.startsWith("application/json") || !content["application/json"]) {
      return contentType && Object.keys(content).some((t) => t === "*/*" || contentType.startsWith(t))
        ? null
        : `${method} ${path} ${status}: content type ${contentType} is not in the document`;
    }
    const ref = `openapi#/${pointer("paths", found.path, m.toLowerCase(), "responses", key, "content", "application/json", "schema")}`;
    let validate = validators.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      validators.set(ref, validate);
    }
    if (validate(JSON.parse(body))) return null;
    return `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`;
  };
}
