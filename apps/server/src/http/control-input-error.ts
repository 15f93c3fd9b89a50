// Bad input to a contract-testing control (an unknown rule field, a malformed matcher): the message names
// the field. The admin API answers it as Grape answers a bad parameter, 400 `{"error": "<message>"}`.

/** A control refused its input; nothing was applied. */
export class ControlInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ControlInputError";
  }
}
