// Run a Python script in Pyodide under Node (npm's `pyodide`: the core runtime, no packages),
// for the tests of the in-browser build (tests/test_lite_pyodide.py).
//
//   node tests/lite/pyodide_runner.mjs JOB.json
//
// JOB.json: {"files": [[dest, src], ...]     files copied into Pyodide's filesystem
//            "unzip": [[wheel, dest], ...]   wheels (zip files) unpacked into a folder there
//            "env": {...}                     environment variables of the Python process
//            "path": [...]                    folders put in front of sys.path
//            "script": "/host/path.py"}       run with runPythonAsync (top-level await works)
// The script's last expression (a string) is printed after a line "=== result ===".
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const pyodide = await loadPyodide({ env: job.env || {} });

function put(dest, bytes) {
  pyodide.FS.mkdirTree(dest.slice(0, dest.lastIndexOf("/")) || "/");
  pyodide.FS.writeFile(dest, bytes);
}
for (const [dest, src] of job.files || []) put(dest, readFileSync(src));
let n = 0;
for (const [wheel, dest] of job.unzip || []) {
  const tmp = `/tmp/wheel${n++}.zip`;
  put(tmp, readFileSync(wheel));
  pyodide.FS.mkdirTree(dest);
  pyodide.runPython(`import zipfile; zipfile.ZipFile(${JSON.stringify(tmp)}).extractall(${JSON.stringify(dest)})`);
}
pyodide.globals.set("_RUNNER_PATH", pyodide.toPy(job.path || []));
pyodide.runPython("import sys; sys.path[:0] = list(_RUNNER_PATH); del _RUNNER_PATH");
const result = await pyodide.runPythonAsync(readFileSync(job.script, "utf8"));
console.log("=== result ===");
console.log(String(result));
