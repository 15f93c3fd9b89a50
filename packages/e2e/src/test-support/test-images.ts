// Test images without a registry, from Debian packages on this machine: busybox-static's files imported with
// `docker import` (sh only), the same exposing a port (for wait-for-service), and the same plus Debian's
// bash and its libraries (for bash detection). Built once and kept as tarballs under packages/e2e/.cache
// (gitignored), so reruns only `docker load` or nothing.

import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BUSYBOX_IMAGE = "buildsim-test/busybox:1";
export const BASH_IMAGE = "buildsim-test/busybox-bash:1";
/** busybox exposing 6379/tcp, as a database image would: Runner waits for that port. */
export const PORT_IMAGE = "buildsim-test/busybox-port:1";

const cacheDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../.cache/images");

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim();
const imageExists = (name: string) =>
  spawnSync("docker", ["image", "inspect", name], { stdio: "ignore" }).status === 0;

/** The shared libraries `binary` loads, as ldd lists them. */
function librariesOf(binary: string): string[] {
  const out = execFileSync("ldd", [binary], { encoding: "utf8" });
  return [...out.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!);
}

function busyboxRoot(withBash: boolean): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "buildsim-image-"));
  for (const dir of ["bin", "tmp", "etc", "root"]) mkdirSync(path.join(root, dir));
  copyFileSync("/bin/busybox", path.join(root, "bin/busybox"));
  const applets = execFileSync("/bin/busybox", ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
  for (const applet of applets)
    if (applet !== "busybox") symlinkSync("busybox", path.join(root, "bin", applet));
  writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
  if (withBash) {
    rmSync(path.join(root, "bin/bash"), { force: true });
    copyFileSync("/bin/bash", path.join(root, "bin/bash"));
    for (const lib of librariesOf("/bin/bash")) {
      mkdirSync(path.join(root, path.dirname(lib)), { recursive: true });
      copyFileSync(lib, path.join(root, lib));
    }
  }
  return root;
}

function ensureImage(name: string, withBash: boolean, changes: string[] = []): void {
  if (imageExists(name)) return;
  const tarball = path.join(cacheDir, `${name.replace(/[/:]/g, "_")}.tar`);
  if (existsSync(tarball)) {
    docker("load", "-i", tarball);
    if (imageExists(name)) return;
  }
  const root = busyboxRoot(withBash);
  try {
    const files = readdirSync(root);
    execFileSync("sh", [
      "-c",
      `tar -C "${root}" -c ${files.join(" ")} | docker import -c 'CMD ["/bin/sh"]' ${changes.map((c) => `-c '${c}'`).join(" ")} - ${name}`,
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  mkdirSync(cacheDir, { recursive: true });
  docker("save", "-o", tarball, name);
}

/** Makes the test images available locally (build, or load from the cache). */
export function ensureTestImages(): void {
  ensureImage(BUSYBOX_IMAGE, false);
  ensureImage(BASH_IMAGE, true);
  ensureImage(PORT_IMAGE, false, ["EXPOSE 6379/tcp"]);
}
