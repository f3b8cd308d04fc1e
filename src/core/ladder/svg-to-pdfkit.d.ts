// Types for svg-to-pdfkit 0.1.8, which ships none: the parts export.ts uses.
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** Treat SVG units as PDF points instead of CSS px (72/96 pt). */
    assumePt?: boolean;
    precision?: number;
    warningCallback?: (message: string) => void;
    /** Picks the pdfkit font (a registered name or a standard font) for a `font-family` value. */
    fontCallback?: (family: string, bold: boolean, italic: boolean, options: { fauxBold: boolean; fauxItalic: boolean }) => string;
  }
  function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x?: number, y?: number, options?: SvgToPdfOptions): void;
  export default SVGtoPDF;
}
