// Types of cluster-key-slot (ioredis's own slot calculator, which ships none).
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0-16383) of a key, hash tags included. */
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    /** The slot shared by every key, or -1 when they are in different slots. */
    function generateMulti(keys: Array<string | Buffer>): number;
  }
  export = calculateSlot;
}
