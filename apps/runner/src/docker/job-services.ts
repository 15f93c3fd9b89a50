// A job's `services:`: one container each on the job's network under Runner's aliases, waited for on their
// exposed ports like Runner's wait-for-service, with their logs in the trace when CI_DEBUG_SERVICES is true.

import net from "node:net";
import { PassThrough } from "node:stream";
import type { JobService } from "@buildsim/core";
import type Docker from "dockerode";
import { ensureImage } from "./ensure-image.js";
import { serviceAliases } from "./service-aliases.js";

export interface StartedService {
  service: JobService;
  container: Docker.Container;
  name: string;
  aliases: string[];
}

export interface StartServicesOptions {
  docker: Docker;
  services: readonly JobService[];
  network: string;
  /** Container names start with this (runner key and build id). */
  namePrefix: string;
  labels: Record<string, string>;
  /** The job's variables: services see them too, then their own. */
  env: string[];
  trace: (text: string) => void;
  signal: AbortSignal;
  /** Registers a container as soon as it exists, so cleanup finds it even if starting fails. */
  track: (container: Docker.Container) => void;
}

/** Creates and starts every service; rejects (ImagePullError, daemon errors) when one cannot start. */
export async function startServices(options: StartServicesOptions): Promise<StartedService[]> {
  const { docker, trace } = options;
  const started: StartedService[] = [];
  for (const [index, service] of options.services.entries()) {
    trace(`Starting service ${service.name} ...\n`);
    await ensureImage(docker, service.name, service.pullPolicy, trace, options.signal);
    const aliases = serviceAliases(service.name, service.aliases);
    const name = `${options.namePrefix}-svc-${index}-${aliases[0]}`.replace(/[^A-Za-z0-9_.-]/g, "-");
    const container = await docker.createContainer({
      name,
      Image: service.name,
      ...(service.entrypoint ? { Entrypoint: service.entrypoint } : {}),
      ...(service.command ? { Cmd: service.command } : {}),
      Env: [...options.env, ...service.variables.map((v) => `${v.key}=${v.value}`)],
      Labels: { ...options.labels, "com.buildsim.role": "service" },
      HostConfig: { Init: true, NetworkMode: options.network },
      NetworkingConfig: { EndpointsConfig: { [options.network]: { Aliases: aliases } } },
    });
    options.track(container);
    await container.start();
    started.push({ service, container, name, aliases });
  }
  return started;
}

/** Whether a TCP connection to host:port succeeds within `timeoutMs`. */
function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Whether `CI_DEBUG_SERVICES` is on: Go's `strconv.ParseBool` truths, as Runner reads the variable. */
export function isDebugServicesOn(variables: ReadonlyArray<{ key: string; value: string }>): boolean {
  const value = variables.findLast((v) => v.key === "CI_DEBUG_SERVICES")?.value;
  return value !== undefined && ["1", "t", "T", "TRUE", "true", "True"].includes(value);
}

/** The service's output so far, timestamped and trimmed as Runner's `readContainerLogs` reads it. */
async function serviceLogs(container: Docker.Container): Promise<string> {
  const buffer = (await container.logs({
    stdout: true,
    stderr: true,
    follow: false,
    timestamps: true,
  })) as Buffer;
  // Without a TTY the logs are multiplexed: 8-byte frame headers before each chunk.
  const out: Buffer[] = [];
  for (let offset = 0; offset + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(offset + 4);
    out.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(out).toString("utf8").trim();
}

/**
 * Waits until each service accepts connections on every port its image exposes (a service exposing none
 * is not waited for), up to `timeoutS`; a service that does not is reported with Runner's warning and
 * the job goes on, as Runner's does.
 */
export async function waitForServices(
  started: readonly StartedService[],
  network: string,
  timeoutS: number,
  trace: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  if (started.length === 0) return;
  trace(`Waiting for services to be up and running (timeout ${timeoutS} seconds)...\n`);
  await Promise.all(
    started.map(async ({ container, name }) => {
      const info = await container.inspect();
      const ports = Object.keys(info.Config.ExposedPorts ?? {})
        .filter((p) => p.endsWith("/tcp"))
        .map((p) => Number.parseInt(p, 10));
      const host = info.NetworkSettings.Networks[network]?.IPAddress;
      if (ports.length === 0 || !host) return;
      const deadline = Date.now() + timeoutS * 1000;
      let error = "";
      for (const port of ports) {
        while (!signal.aborted) {
          if (await canConnect(host, port, 1000)) break;
          if (Date.now() >= deadline) {
            error = `service "${name}-wait-for-service" timeout`;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (error) break;
      }
      if (!error || signal.aborted) return;
      const logs = await serviceLogs(container).catch(() => "");
      // Runner's block (executors/docker: waitForServiceContainer); the health check is in-process here, so
      // its container logs are empty.
      trace(
        `\n*** WARNING: Service ${name} probably didn't start properly.\n\nHealth check error:\n${error}\n\nHealth check container logs:\n\n\nService container logs:\n${logs}\n\n*********\n\n`,
      );
    }),
  );
}

/**
 * CI_DEBUG_SERVICES: each service's output, live, each line as `[service:ALIASES] line` with the service's
 * aliases joined by `-`, as Runner's docker executor writes it (captureContainersLogs and
 * InlineServiceLogWriter; Runner greys the lines, buildsim's trace keeps them plain).
 */
export async function streamServiceLogs(
  started: readonly StartedService[],
  trace: (text: string) => void,
): Promise<void> {
  for (const { container, aliases } of started) {
    const stream = (await container.logs({
      stdout: true,
      stderr: true,
      follow: true,
    })) as NodeJS.ReadableStream;
    const out = new PassThrough();
    container.modem.demuxStream(stream, out, out);
    const prefix = `[service:${aliases.join("-")}] `;
    let pending = "";
    out.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) trace(`${prefix}${line}\n`);
    });
    stream.on("error", () => {});
  }
}
