import type { OutcomeRow, Study } from '#shared/extraction/model.ts';
import type { ExtractionImport, ExtractionStore } from '#shared/extraction/ports.ts';

/** In-memory ExtractionStore for tests; counts writes so a refused import can be shown to write nothing. */
export class MemoryExtractionStore implements ExtractionStore {
  readonly studies = new Map<string, Study>();
  readonly rowsByStudy = new Map<string, OutcomeRow[]>();
  writes = 0;

  async putImport(batch: ExtractionImport): Promise<boolean> {
    this.writes++;
    for (const study of batch.studies) {
      this.studies.set(study.id, structuredClone(study));
      this.rowsByStudy.set(study.id, structuredClone(batch.rows.filter((row) => row.studyId === study.id)));
    }
    return true;
  }

  async listData() {
    return { studies: await this.listStudies(), rows: await this.listOutcomeRows() };
  }

  async listStudies(): Promise<Study[]> {
    return [...this.studies.values()];
  }

  async listOutcomeRows(): Promise<OutcomeRow[]> {
    return [...this.rowsByStudy.values()].flat();
  }
}
