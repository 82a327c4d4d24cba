const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * An `Intl.NumberFormat` for `locale` and `options`, kept for reuse: building one costs
 * far more than using it (tens of microseconds), and a list formats many numbers.
 */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale ?? ''}\u0000${JSON.stringify(options)}`;
  let formatter = numberFormats.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, options);
    if (numberFormats.size >= 128) numberFormats.clear();
    numberFormats.set(key, formatter);
  }
  return formatter;
}
