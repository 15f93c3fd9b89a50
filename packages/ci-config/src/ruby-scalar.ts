// Numbers as GitLab stores them in variables: Psych reads the YAML, Ruby's `to_s` writes the value. JS
// numbers lose what Ruby keeps (1.0 is a Float, `1e3` without a dot is no float at all), so variable values
// are written from the scalar's source.

/** Ruby's `Float#to_s`: shortest round-trip digits, fixed notation for 1e-4 ≤ |x| < 1e16, else `d.de±XX`. */
export function rubyFloatToS(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const decpt = Number(exponent) + 1;
  if (decpt > 0 && decpt <= 16) {
    const whole = digits.slice(0, decpt).padEnd(decpt, "0");
    return `${sign}${whole}.${digits.slice(decpt) || "0"}`;
  }
  if (decpt <= 0 && decpt > -4) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  const e = decpt - 1;
  return `${sign}${digits[0]}.${digits.slice(1) || "0"}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/**
 * The string GitLab stores for a numeric YAML scalar written as `source`: a float (Psych's floats have a
 * dot) through `Float#to_s`; `1e3`-like text, which Psych keeps as a string, as written; an integer as is.
 */
export function rubyNumberText(value: number, source: string): string {
  if (/^[-+]?(?:\d[\d_]*)?\.[\d_]*(?:[eE][-+]?\d+)?$|\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(source.trim()))
    return rubyFloatToS(value);
  if (/^[-+]?\d[\d_]*[eE]/.test(source.trim())) return source.trim();
  return String(value);
}
