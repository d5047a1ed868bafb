import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { ReactNode } from "react";
import type { Locale } from "@/server/db/schema/bookings";
import { type EmailTranslator, isRtlLocale } from "../i18n";

/**
 * The frame every Traverse email shares. Mail clients ignore stylesheets unevenly (Gmail strips <style>
 * in many views, Outlook renders with Word), so everything is a table with inline styles, a 600 px
 * column, system fonts and no remote images. Direction is set on <html>, <body> and the container and
 * text alignment is explicit, because several clients drop the `dir` of <html>.
 */
export interface Dir {
  rtl: boolean;
  /** The "start" side: left in English and French, right in Arabic. */
  start: "left" | "right";
  end: "left" | "right";
}

export function dirFor(locale: Locale): Dir {
  const rtl = isRtlLocale(locale);
  return { rtl, start: rtl ? "right" : "left", end: rtl ? "left" : "right" };
}

export const colors = {
  ink: "#0f172a",
  muted: "#475569",
  line: "#e2e8f0",
  sea: "#0b4f6c",
  seaLight: "#e6f1f6",
  warn: "#9a3412",
  warnLight: "#fff7ed",
};

export function fontFamily(rtl: boolean): string {
  return rtl
    ? "Tahoma, 'Segoe UI', 'Noto Sans Arabic', Arial, sans-serif"
    : "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
}

export function EmailShell(props: {
  locale: Locale;
  t: EmailTranslator;
  preview: string;
  heading: string;
  reference?: string;
  tone?: "normal" | "warning";
  children: ReactNode;
}) {
  const { locale, t, reference } = props;
  const dir = dirFor(locale);
  const font = fontFamily(dir.rtl);
  return (
    <Html lang={locale} dir={dir.rtl ? "rtl" : "ltr"}>
      <Head>
        <meta name="color-scheme" content="light only" />
        <meta name="supported-color-schemes" content="light" />
      </Head>
      <Preview>{props.preview}</Preview>
      <Body
        dir={dir.rtl ? "rtl" : "ltr"}
        style={{
          backgroundColor: "#f1f5f9",
          margin: 0,
          padding: "24px 0",
          fontFamily: font,
          color: colors.ink,
        }}
      >
        <Container
          dir={dir.rtl ? "rtl" : "ltr"}
          style={{ maxWidth: "600px", backgroundColor: "#ffffff", borderRadius: "8px", textAlign: dir.start }}
        >
          <Section style={{ backgroundColor: colors.sea, borderRadius: "8px 8px 0 0", padding: "20px 28px" }}>
            <Text
              style={{
                margin: 0,
                color: "#ffffff",
                fontSize: "22px",
                fontWeight: 700,
                letterSpacing: "0.5px",
              }}
            >
              {t("common.brand")}
            </Text>
          </Section>
          <Section style={{ padding: "8px 28px 4px" }}>
            <Heading
              as="h1"
              style={{
                fontSize: "24px",
                lineHeight: "32px",
                margin: "20px 0 8px",
                color: props.tone === "warning" ? colors.warn : colors.ink,
                textAlign: dir.start,
              }}
            >
              {props.heading}
            </Heading>
            {reference ? (
              <Text
                style={{ margin: "0 0 8px", fontSize: "14px", color: colors.muted, textAlign: dir.start }}
              >
                {t("common.reference")}:{" "}
                <span
                  dir="ltr"
                  style={{ fontFamily: "Menlo, Consolas, monospace", fontWeight: 700, color: colors.ink }}
                >
                  {reference}
                </span>
              </Text>
            ) : null}
          </Section>
          <Section style={{ padding: "0 28px 8px" }}>{props.children}</Section>
          <Hr style={{ borderColor: colors.line, margin: "16px 28px" }} />
          <Section style={{ padding: "0 28px 24px" }}>
            <Text
              style={{
                fontSize: "12px",
                lineHeight: "18px",
                color: colors.muted,
                margin: 0,
                textAlign: dir.start,
              }}
            >
              {t("common.help")}
            </Text>
            <Text style={{ fontSize: "12px", lineHeight: "18px", color: colors.muted, textAlign: dir.start }}>
              {reference ? t("common.footer", { reference }) : t("common.footerNoBooking")}
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export function P(props: { dir: Dir; children: ReactNode; strong?: boolean; tone?: "warning" }) {
  return (
    <Text
      style={{
        fontSize: "16px",
        lineHeight: "24px",
        margin: "12px 0",
        textAlign: props.dir.start,
        fontWeight: props.strong ? 700 : 400,
        color: props.tone === "warning" ? colors.warn : colors.ink,
      }}
    >
      {props.children}
    </Text>
  );
}

export function Callout(props: { dir: Dir; tone?: "info" | "warning"; children: ReactNode }) {
  const warning = props.tone === "warning";
  return (
    <Section
      style={{
        backgroundColor: warning ? colors.warnLight : colors.seaLight,
        borderRadius: "6px",
        padding: "4px 16px",
        margin: "12px 0",
        textAlign: props.dir.start,
      }}
    >
      {props.children}
    </Section>
  );
}

export function Cta(props: { href: string; children: ReactNode; dir: Dir; secondary?: boolean }) {
  return (
    <Section style={{ margin: "16px 0", textAlign: props.dir.start }}>
      <Button
        href={props.href}
        style={{
          backgroundColor: props.secondary ? "#ffffff" : colors.sea,
          color: props.secondary ? colors.sea : "#ffffff",
          border: `2px solid ${colors.sea}`,
          borderRadius: "6px",
          fontSize: "16px",
          fontWeight: 700,
          padding: "12px 20px",
          textDecoration: "none",
        }}
      >
        {props.children}
      </Button>
    </Section>
  );
}

export function SectionTitle(props: { dir: Dir; children: ReactNode }) {
  return (
    <Heading
      as="h2"
      style={{
        fontSize: "18px",
        lineHeight: "24px",
        margin: "24px 0 8px",
        color: colors.sea,
        textAlign: props.dir.start,
      }}
    >
      {props.children}
    </Heading>
  );
}
