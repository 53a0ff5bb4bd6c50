// The server has no desired-state document: it is not managed (not an error of the server).
import { ReconcilerError } from '../errors.ts';

export class DocumentNotFoundError extends ReconcilerError {
  readonly serverId: string;
  readonly parameter: string;
  constructor(serverId: string, parameter: string, options: { cause?: unknown } = {}) {
    super('DocumentNotFound', `no desired-state document for ${serverId}: the parameter ${parameter} does not exist`, options);
    this.serverId = serverId;
    this.parameter = parameter;
  }
}
