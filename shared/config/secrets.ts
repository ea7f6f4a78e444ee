/**
 * Reads the NCBI API key from an SSM SecureString parameter at cold start. Only the parameter's NAME travels in the
 * function's environment; the value stays in SSM and in this process's memory.
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from '#shared/errors.ts';

/** The one SSM call the reader makes; `ssmParameterCalls` binds it to a real client, tests pass a fake. */
export interface SsmParameterCalls {
  /** Rejects with an error named ParameterNotFound when the parameter does not exist, as SSM does. */
  getParameter(input: {
    Name: string;
    WithDecryption: true;
  }): Promise<{ Parameter?: { Value?: string; Type?: string } }>;
}

export function ssmParameterCalls(client: SSMClient): SsmParameterCalls {
  return { getParameter: (input) => client.send(new GetParameterCommand(input)) };
}

/** The decrypted value of a SecureString parameter; a missing, empty or plain-text parameter is a ConfigError. */
export async function readSecureParameter(calls: SsmParameterCalls, name: string): Promise<string> {
  let parameter: { Value?: string; Type?: string } | undefined;
  try {
    parameter = (await calls.getParameter({ Name: name, WithDecryption: true })).Parameter;
  } catch (error) {
    if (error instanceof Error && error.name === 'ParameterNotFound') {
      throw new ConfigError(
        `SSM parameter ${name} does not exist: create it as a SecureString (see README, Deploy)`,
      );
    }
    throw error;
  }
  if (parameter?.Type !== undefined && parameter.Type !== 'SecureString') {
    throw new ConfigError(`SSM parameter ${name} is a ${parameter.Type}; a secret must be a SecureString`);
  }
  const value = parameter?.Value?.trim();
  if (!value) throw new ConfigError(`SSM parameter ${name} is empty`);
  return value;
}
