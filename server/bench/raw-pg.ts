export interface RawTask { dbUrl: string }
export async function runRawWorkload(task: RawTask) { return task; }
