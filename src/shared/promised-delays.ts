/**
 * What the site promises a traveller, in seconds: the booking confirmed within 5–15 s of paying, and the
 * confirmation email accepted for delivery within 10–20 s. The admin Operations panel draws these next to
 * the measured delays; ops/grafana/traverse.json draws the same lines, ops/prometheus/alerts.yml pages
 * well beyond them (30 s and 60 s at p95).
 */
export const PROMISED_DELAY_SECONDS = {
  confirmation: { from: 5, to: 15 },
  email: { from: 10, to: 20 },
} as const;
