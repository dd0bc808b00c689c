// Trunk post_build hook (see Trunk.toml): in the staging folder of a build,
// 0. puts the first lesson into the page's shell (SWITCHBOARD_FIRST_LESSON: a JSON file that
//    `cargo xtask` writes from crates/xtask/src/shell.rs before it runs trunk);
// 1. writes sw.js with the list of every file of the build and a version derived from their
//    contents, so each build has its own cache;
// 2. adds a Content-Security-Policy that allows only this site's own files, WebAssembly, and
//    Trunk's inline loader by its hash (no other inline script).
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("postbuild: TRUNK_STAGING_DIR is not set (run through trunk)");
  process.exit(1);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// 0. The first lesson, before the CSP: the shell's inline script names its address.
const indexPath = join(staging, "index.html");
let html = readFileSync(indexPath, "utf8");
const lessonFile = process.env.SWITCHBOARD_FIRST_LESSON;
if (!lessonFile) {
  console.error("postbuild: SWITCHBOARD_FIRST_LESSON is not set: build through `cargo xtask dist` (or `cargo xtask serve`)");
  process.exit(1);
}
const lesson = JSON.parse(readFileSync(lessonFile, "utf8"));
for (const [mark, value] of [
  ["<!-- switchboard:first-picker -->", lesson.picker],
  ["<!-- switchboard:first-lesson -->", lesson.html],
  ["__FIRST_HASH__", lesson.hash],
  ["__FIRST_PATH__", lesson.path],
]) {
  if (!html.includes(mark)) {
    console.error(`postbuild: index.html has no ${mark}`);
    process.exit(1);
  }
  html = html.replace(mark, () => value);
}
// The source's comments are for its readers, not for the first visit's bytes.
html = html.replace(/<!--[\s\S]*?-->/g, "");
writeFileSync(indexPath, html);

// 2. The CSP, before hashing, since it changes index.html.
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = inline.map((body) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
const csp = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
  // CodeMirror writes its own style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");
if (!html.includes("Content-Security-Policy")) {
  html = html.replace("<head>", `<head>\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`);
  writeFileSync(indexPath, html);
}

// 1. The precache list: every file, as a path relative to the site root, plus the root.
const list = files(staging)
  .map((p) => relative(staging, p).split(sep).join("/"))
  // index.html is the root ("./"), under which the worker answers every navigation.
  .filter((p) => p !== "sw.js" && p !== "index.html")
  .sort();
const version = createHash("sha256");
for (const p of ["index.html", ...list]) version.update(p).update(readFileSync(join(staging, p)));
const template = readFileSync(new URL("./sw.template.js", import.meta.url), "utf8");
const sw = template
  .replace("__VERSION__", version.digest("hex").slice(0, 16))
  .replace("__PRECACHE__", JSON.stringify(["./", ...list], null, 2));
writeFileSync(join(staging, "sw.js"), sw);
const bytes = list.reduce((n, p) => n + statSync(join(staging, p)).size, 0);
console.log(`postbuild: sw.js precaches ${list.length + 1} entries (${bytes} bytes); CSP with ${hashes.length} inline script hash(es)`);
