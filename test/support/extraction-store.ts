import type { OutcomeRow, Study } from '#shared/extraction/model.ts';
import type { ExtractionStore } from '#shared/extraction/ports.ts';

/** In-memory ExtractionStore for tests; counts writes so a refused import can be shown to write nothing. */
export class MemoryExtractionStore implements ExtractionStore {
  readonly studies = new Map<string, Study>();
  readonly rowsByStudy = new Map<string, OutcomeRow[]>();
  writes = 0;

  async putStudies(studies: readonly Study[]): Promise<void> {
    this.writes++;
    for (const study of studies) this.studies.set(study.id, structuredClone(study));
  }

  async putStudyRows(studyId: string, rows: readonly OutcomeRow[]): Promise<void> {
    this.writes++;
    this.rowsByStudy.set(studyId, structuredClone([...rows]));
  }

  async listStudies(): Promise<Study[]> {
    return [...this.studies.values()];
  }

  async listOutcomeRows(): Promise<OutcomeRow[]> {
    return [...this.rowsByStudy.values()].flat();
  }
}
