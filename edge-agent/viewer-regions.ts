/**
 * Which configured region is nearest a viewer, from the region table once it is loaded. Until it
 * is (a ConfigMap missing, a part from another version), every viewer is unattributed: counted,
 * never guessed. The table is fixed for a pod's life (its ConfigMaps are named by content, so a
 * new table is a new pod template), so once loaded it is never read again.
 */
import { regionForAddress, type RegionTable } from '../core/geo/region-table';
import { loadRegionTable, type RegionTableLoad } from './region-table-files';

export class ViewerRegions {
  private table: RegionTable | undefined;

  constructor(
    private readonly dir: string,
    private readonly load: (dir: string) => Promise<RegionTableLoad> = loadRegionTable,
  ) {}

  /** The configured regions, in the table's order; undefined while there is no table. */
  get regions(): readonly string[] | undefined {
    return this.table?.regions;
  }

  /** The region nearest `address`; undefined when the table cannot place it or there is no table. */
  readonly attribute = (address: string): string | undefined => (this.table ? regionForAddress(this.table, address) : undefined);

  /** Loads the table if it is not loaded yet; what went wrong otherwise (undefined once loaded). */
  async ensureLoaded(): Promise<RegionTableLoad | undefined> {
    if (this.table) return undefined;
    const loaded = await this.load(this.dir);
    if (loaded.ok) this.table = loaded.table;
    return loaded;
  }
}
