/** Fixed-capacity FIFO: pushing past capacity drops the oldest item. O(1) push, no allocation per item. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private length = 0;
  /** Every item ever pushed, including those dropped. */
  total = 0;

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('capacity must be >= 1');
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    const end = (this.start + this.length) % this.capacity;
    this.items[end] = item;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
    this.total++;
  }

  get size(): number {
    return this.length;
  }

  /** The newest n items (all if n is omitted), oldest first. */
  last(n = this.length): T[] {
    const k = Math.min(n, this.length);
    const out: T[] = new Array<T>(k);
    for (let i = 0; i < k; i++) out[i] = this.items[(this.start + this.length - k + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.length = 0;
  }
}
