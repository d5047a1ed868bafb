import QRCode from "qrcode";

/**
 * QR images are generated locally (no remote image service sees ticket codes). Error correction M
 * survives a cracked phone screen or a crumpled printout; the quiet zone of 2 modules is what scanners
 * at the port need. PNG output is deterministic, which keeps retried emails byte-identical.
 */
const options = { errorCorrectionLevel: "M", margin: 2, width: 220 } as const;

export function qrPng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { ...options, type: "png" });
}

export function qrDataUri(code: string): Promise<string> {
  return QRCode.toDataURL(code, options);
}
