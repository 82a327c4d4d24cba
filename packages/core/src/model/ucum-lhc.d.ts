// Types for the part of @lhncbc/ucum-lhc (NLM's UCUM reference implementation, which ships
// no declarations) that units.ts uses.
declare module '@lhncbc/ucum-lhc' {
  export interface UcumConversionResult {
    /** `succeeded`, `failed` (unknown or incommensurable units) or `error` (bad input). */
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }
  export interface UcumLhcUtilsInstance {
    convertUnitTo(fromUnitCode: string, fromVal: number, toUnitCode: string, options?: Record<string, unknown>): UcumConversionResult;
  }
  export const UcumLhcUtils: { getInstance(): UcumLhcUtilsInstance };
  const ucum: { UcumLhcUtils: typeof UcumLhcUtils };
  export default ucum;
}
