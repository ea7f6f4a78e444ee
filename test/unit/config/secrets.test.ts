import { describe, expect, it } from 'vitest';
import { readSecureParameter, type SsmParameterCalls } from '#shared/config/secrets.ts';
import { ConfigError } from '#shared/errors.ts';

/** An in-memory parameter store: unknown names are answered with ParameterNotFound, as SSM does. */
function fakeSsm(parameters: Record<string, { Value: string; Type: string }>) {
  const requested: { Name: string; WithDecryption: boolean }[] = [];
  const calls: SsmParameterCalls = {
    async getParameter(input) {
      requested.push(input);
      const parameter = parameters[input.Name];
      if (!parameter) {
        const error = new Error(`Parameter ${input.Name} not found.`);
        error.name = 'ParameterNotFound';
        throw error;
      }
      return { Parameter: { ...parameter } };
    },
  };
  return { calls, requested };
}

const NAME = '/living-review/ncbi-api-key';

describe('reading the NCBI API key from SSM', () => {
  it('returns the decrypted value of a SecureString parameter, asking SSM to decrypt it', async () => {
    const { calls, requested } = fakeSsm({ [NAME]: { Value: ' abc123 \n', Type: 'SecureString' } });
    expect(await readSecureParameter(calls, NAME)).toBe('abc123');
    expect(requested).toEqual([{ Name: NAME, WithDecryption: true }]);
  });

  it('names the missing parameter and how to create it', async () => {
    const { calls } = fakeSsm({});
    const reading = readSecureParameter(calls, NAME);
    await expect(reading).rejects.toBeInstanceOf(ConfigError);
    await expect(reading).rejects.toThrow(`SSM parameter ${NAME} does not exist`);
  });

  it('refuses a plain String parameter, which would hold the key unencrypted', async () => {
    const { calls } = fakeSsm({ [NAME]: { Value: 'abc123', Type: 'String' } });
    await expect(readSecureParameter(calls, NAME)).rejects.toThrow(
      /is a String; a secret must be a SecureString/,
    );
  });

  it('refuses an empty parameter', async () => {
    const { calls } = fakeSsm({ [NAME]: { Value: '  ', Type: 'SecureString' } });
    await expect(readSecureParameter(calls, NAME)).rejects.toThrow(`SSM parameter ${NAME} is empty`);
  });

  it('passes on other SSM failures unchanged', async () => {
    const calls: SsmParameterCalls = {
      getParameter: async () => {
        const error = new Error('User is not authorized to perform ssm:GetParameter');
        error.name = 'AccessDeniedException';
        throw error;
      },
    };
    await expect(readSecureParameter(calls, NAME)).rejects.toThrow(/not authorized/);
  });
});
