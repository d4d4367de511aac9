import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of `text`, rendered to a data URL (no canvas in the DOM, CSP-friendly img). */
export function QrCode({
  text,
  label,
  testId = 'invite-qr',
}: {
  text: string;
  label: string;
  testId?: string;
}) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 400 })
      .then((u) => {
        if (live) setUrl(u);
      })
      .catch(() => {
        if (live) setUrl(null);
      });
    return () => {
      live = false;
    };
  }, [text]);
  if (!url) return null;
  return <img className="qr" src={url} alt={label} data-testid={testId} />;
}
