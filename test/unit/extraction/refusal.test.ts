import { describe, expect, it } from 'vitest';
import { InputError } from '#shared/errors.ts';
import { importExtraction } from '#shared/extraction/import.ts';
import { metapsyText, withCell } from '#test/support/extraction-fixtures.ts';
import { MemoryExtractionStore } from '#test/support/extraction-store.ts';
import { groupPeerSupportExtraction as config } from '#test/support/group-peer-support.ts';

async function refusal(text: string, format = 'metapsy') {
  const store = new MemoryExtractionStore();
  const error = await importExtraction(text, format, { store, config, document: 'data.csv' }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { error, store };
}

describe('a Metapsy file with a bad value is refused whole', () => {
  it('refuses a negative SD, naming row and column, and writes nothing', async () => {
    const { error, store } = await refusal(withCell(metapsyText(), 9, 'sd_arm1', '-12,83'));
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('row 9, column "sd_arm1": -12,83 must be greater than 0');
    expect(store.writes).toBe(0);
  });

  it('refuses an arm with fewer than two participants', async () => {
    const { error, store } = await refusal(withCell(metapsyText(), 20, 'n_arm2', '1'));
    expect((error as Error).message).toContain('row 20, column "n_arm2": 1 is below the minimum 2');
    expect(store.writes).toBe(0);
  });

  it('refuses text in a number column', async () => {
    const { error, store } = await refusal(withCell(metapsyText(), 3, 'mean_arm1', '"about 3"'));
    expect((error as Error).message).toContain('row 3, column "mean_arm1": "about 3" is not a number');
    expect(store.writes).toBe(0);
  });

  it('names every problem in one refusal', async () => {
    const twoBad = withCell(withCell(metapsyText(), 9, 'sd_arm1', '0'), 40, 'n_arm1', '81,5');
    const { error } = await refusal(twoBad);
    expect((error as Error).message).toContain('2 problem(s), nothing was imported');
    expect((error as Error).message).toContain('row 40, column "n_arm1": 81,5 is not a whole number');
  });

  it('refuses a file that is not the Metapsy column set, listing the missing columns', async () => {
    const { error, store } = await refusal('"";"trial";"arm";"score"\n"1";"A";"x";1\n');
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /missing column\(s\): study, condition_arm1, condition_arm2, instrument/,
    );
    expect(store.writes).toBe(0);
  });

  it('refuses a row with a different number of cells than the header', async () => {
    const lines = metapsyText().split('\n');
    lines[5] = `${lines[5]};"extra"`;
    const { error } = await refusal(lines.join('\n'));
    expect((error as Error).message).toContain(
      'row 5, column "(whole row)": has 66 cells, the header has 65',
    );
  });

  it('refuses a study whose rows disagree on a study-level value', async () => {
    const { error } = await refusal(withCell(metapsyText(), 7, 'country', '"Canada"'));
    expect((error as Error).message).toContain(
      'row 7, column "country": "Canada" differs from "USA" in row 6',
    );
  });

  it('refuses an unknown format name', async () => {
    const { error } = await refusal(metapsyText(), 'revman');
    expect((error as Error).message).toBe('unknown format "revman" (expected metapsy or csv)');
  });
});
