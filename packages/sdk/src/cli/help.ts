/**
 * @module cli/help
 * Help texts, one per command.
 */
const SERVER = `Server options:
  --url URL            API base URL (env SEAMLINE_URL, default http://127.0.0.1:8787)
  --api-key KEY        Bearer key (env SEAMLINE_API_KEY)
  --retries N          Retries on 429/5xx/network errors (default 2)
  --timeout-ms N       Per-request timeout (default 120000)`;

export const HELP = {
  main: `seamline — face swap detection (Face X-Ray) and face swaps

Usage: seamline <command> [options]

Commands:
  scan <files|dirs|urls…>    Scan images for blended faces (CI gate: exit 1 when any is fake)
  swap --source A --target B  Put the face of A into B
  video <file>               Swap or scan a video as a server-side job, with progress
  serve [--port N]           Start the local worker (inside the repository checkout)
  models [name]              The server's models (version, delivery, size), or one model card

Options:
  -h, --help     Help (also: seamline <command> --help)
  -v, --version  Version

Environment: SEAMLINE_URL, SEAMLINE_API_KEY`,

  models: `Usage: seamline models [name] [options]

Without a name: one line per model the server ships (GET /v1/models): name, version (- for converted
models), delivery (bundled in the worker, r2, or not-shipped) and size. With a name: that model card,
whole, as JSON (GET /v1/models/{name}): source, licence, training, measured metrics, known limits.

Options:
  --json               One JSON object per model instead of the table
${SERVER}

Examples:
  seamline models
  seamline models xray > xray-card.json`,

  scan: `Usage: seamline scan <files|dirs|globs|urls…> [options]

Scans every image with Face X-Ray. Directories are searched recursively for .jpg/.jpeg/.png/.webp;
quoted globs ('photos/**/*.jpg') are expanded by seamline itself. An https URL is fetched by the
server (public hosts only; with --local, by this process).

Options:
  --json               One JSON object per line on stdout instead of a table:
                       {file, verdict, score, threshold, faces, reason?, perFace, overlay?, error?}
  --concurrency N      Requests in flight (default 2)
  --threshold T        Fake threshold in [0, 1], overriding the server's calibrated one
  --overlay DIR        Save <name>.xray.png overlays into DIR (remote: one extra request per image;
                       the overlay's box colours follow the server's threshold)
  --local              No server: run the same pipeline and models in this process on
                       onnxruntime-node. Works only inside the seamline repository checkout (loads
                       src/ through a vite-node runner with the worker's .wasm/.onnx module rules,
                       like tools/run.mjs); first image takes a few seconds to load the models.
${SERVER}

Exit codes: 0 no fake image, 1 at least one image judged fake, 2 usage error or an image that could
not be scanned (errors win over fakes: the gate did not see everything).

Examples:
  seamline scan uploads/ --json
  seamline scan https://example.com/team.jpg
  seamline scan 'shots/**/*.{jpg,png}' --threshold 0.6 --overlay out/
  seamline scan face.jpg --local`,

  swap: `Usage: seamline swap --source A --target B [options]

Puts the face of A into B (POST /v1/swap). The server needs SEAMLINE_API_KEY and the request the
same key (--api-key or env SEAMLINE_API_KEY): 401 without it, 403 when swapping is disabled.

Options:
  --out FILE           Where to write the result (default swapped.jpg; a .png name asks for PNG)
  --model M            classical (default) | aei (FaceShifter AEI-Net; 503 when the server lacks its models)
  --source-face N      Face index in the source (largest first)
  --target-face N      Face index in the target
  --hear               Refine with HEAR-Net (occlusions; with --model aei)
  --png / --jpeg       Ask for PNG / JPEG regardless of the --out name
${SERVER}

Exit codes: 0 written, 2 usage error, server error, or swap not available on this server (404).`,

  video: `Usage: seamline video <file|https-url> (--scan | --swap-source IMAGE) [options]

Creates a job (POST /v1/jobs, task scan-video or swap-video), polls it (GET /v1/jobs/:id) with a
progress bar on stderr (frames done/total, percent, ETA), downloads the result
(GET /v1/jobs/:id/result) into --out, and prints the finished job as JSON on stdout.
A video given as an https URL is fetched by the server (then --swap-source must be a URL too).

Options:
  --scan               scan-video: Face X-Ray over the video's frames (result: JSON report)
  --swap-source IMAGE  swap-video: put this face into every frame (needs --api-key; result: video)
  --source-face N      Which face of the source image (largest first, default 0)
  --callback-url URL   https URL that receives the signed webhook when the job ends
  --out FILE           Save the result file here (without it only the job JSON is printed)
  --interval MS        Poll interval (default 1000)
${SERVER}

Exit codes: 0 done, 2 usage error, failed job, or jobs not available on this server (404).

Examples:
  seamline video clip.mp4 --scan --out report.json
  seamline video clip.mp4 --swap-source me.jpg --out swapped.mp4 --api-key "$KEY"`,

  serve: `Usage: seamline serve [--port N]

Starts the local worker from the repository checkout (node tools/start.mjs, or npx wrangler dev
when that script is absent) on 127.0.0.1:N (default 8787). Works only inside the checkout.`,
} as const;
