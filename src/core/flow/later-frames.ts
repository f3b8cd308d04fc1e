// Frame references to later packets, which Wireshark shows only once it has seen the whole capture
// (its GUI, and tshark -2): "[Reassembled PDU in frame: N]" on the TCP segments of a PDU completed
// later (tcp.reassembled_in), and "[Response in frame: N]" on an HTTP request (http.response_in).
// A replay without trees records them for the rows it is asked about; the replay that builds those
// rows' trees reads them (the same object given to both, as tshark's second pass reads its first).

/** The fields that name later packets: trees show them only after a first pass (LaterFrames). */
export const LATER_FRAME_FIELDS: ReadonlySet<string> = new Set(['tcp.reassembled_in', 'http.response_in']);

/** Whether reading `fields` needs the first pass that records references to later packets. */
export function readsLaterFrames(fields: Iterable<string>): boolean {
  for (const f of fields) if (LATER_FRAME_FIELDS.has(f)) return true;
  return false;
}

export class LaterFrames {
  /** Row of a segment → row of the packet that completed its PDU. */
  private readonly reassembled = new Map<number, number>();
  /** Row of an HTTP request → row of the packet that completed its response. */
  private readonly responses = new Map<number, number>();
  /** Wanted rows still waiting for their PDU to complete, or for an answer. */
  private readonly openSegments = new Set<number>();
  private readonly openRequests = new Set<number>();

  /** `wanted`: the rows whose references are kept (the detail pane asks for one, a filter for some). */
  constructor(readonly wanted: (row: number) => boolean = () => true) {}

  /** tcp.reassembled_in of `row` as a frame number (0: none). */
  reassembledIn(row: number): number {
    const r = this.reassembled.get(row);
    return r === undefined ? 0 : r + 1;
  }

  /** http.response_in of the request completed in `row` as a frame number (0: none). */
  responseIn(row: number): number {
    const r = this.responses.get(row);
    return r === undefined ? 0 : r + 1;
  }

  /** Nothing wanted is still waiting: a replay that has passed its wanted rows may stop. */
  get settled(): boolean {
    return this.openSegments.size === 0 && this.openRequests.size === 0;
  }

  /** Segment `row` carried bytes of a PDU not complete yet (the flow stage keeps it open). */
  segmentOpen(row: number): void {
    this.openSegments.add(row);
  }

  /** The PDU segment `row` carried part of was completed in `inRow`, or never (-1: lost bytes, the end). */
  segmentDone(row: number, inRow: number): void {
    this.openSegments.delete(row);
    if (inRow >= 0 && inRow !== row) this.reassembled.set(row, inRow);
  }

  /** An HTTP request was completed in `row` (its answer comes later, if at all). */
  requestDone(row: number): void {
    if (this.wanted(row)) this.openRequests.add(row);
  }

  /** The response to the request completed in `requestRow` was completed in `responseRow`. */
  answered(requestRow: number, responseRow: number): void {
    if (!this.wanted(requestRow) || this.responses.has(requestRow)) return;
    this.openRequests.delete(requestRow);
    this.responses.set(requestRow, responseRow);
  }
}
