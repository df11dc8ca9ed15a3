//! One-page documents of text (receipts) as PDF/A-2b, the archival profile: A4, DejaVu Sans
//! embedded (only the glyphs used), XMP metadata with the title and the language. Written with
//! `krilla`, which refuses to produce a file that breaks the profile; the font comes with the
//! `dejavu` crate (free licence, every Italian letter and the euro sign).

/// One line of text: size in points, bold or not, the text.
pub struct Riga {
    pub dimensione: f32,
    pub grassetto: bool,
    pub testo: String,
}

impl Riga {
    /// A line of body text.
    pub fn testo(t: impl Into<String>) -> Self {
        Self {
            dimensione: 11.0,
            grassetto: false,
            testo: t.into(),
        }
    }

    /// A bold line of the given size.
    pub fn titolo(t: impl Into<String>, dimensione: f32) -> Self {
        Self {
            dimensione,
            grassetto: true,
            testo: t.into(),
        }
    }
}

/// The font: DejaVu Sans, regular or bold.
fn font(grassetto: bool) -> Option<krilla::text::Font> {
    let dati: &'static [u8] = if grassetto {
        dejavu::sans::bold()
    } else {
        dejavu::sans::regular()
    };
    krilla::text::Font::new(dati.into(), 0)
}

/// A one-page A4 PDF/A-2b titled `titolo`, dated `quando` (the same document for the same
/// content), with `righe` from the top, 56 pt margins; an error names what the archival
/// profile refused.
pub fn documento(
    titolo: &str,
    quando: chrono::DateTime<chrono::Utc>,
    righe: &[Riga],
) -> Result<Vec<u8>, String> {
    use chrono::{Datelike, Timelike};
    use krilla::configure::{Archival, ConfigurationBuilder};
    use krilla::geom::Point;
    use krilla::metadata::Metadata;
    use krilla::page::PageSettings;
    use krilla::text::TextDirection;
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| format!("{e:?}"))?;
    let mut doc = krilla::Document::new_with(krilla::SerializeSettings {
        configuration,
        ..Default::default()
    });
    doc.set_metadata(
        Metadata::new()
            .title(titolo.to_owned())
            .language("it-IT".into())
            .creator("Servizi 0-6".into())
            .creation_date(
                krilla::metadata::DateTime::new(u16::try_from(quando.year()).unwrap_or(0))
                    .month(quando.month() as u8)
                    .day(quando.day() as u8)
                    .hour(quando.hour() as u8)
                    .minute(quando.minute() as u8)
                    .second(quando.second() as u8)
                    .utc_offset_hour(0),
            ),
    );
    let (normale, grassetto) = font(false)
        .zip(font(true))
        .ok_or("carattere DejaVu Sans non leggibile")?;
    let a4 = PageSettings::from_wh(595.0, 842.0).ok_or("formato A4")?;
    let mut pagina = doc.start_page_with(a4);
    let mut superficie = pagina.surface();
    let mut y = 56.0f32;
    for r in righe {
        y += r.dimensione * 1.5;
        let f = if r.grassetto { &grassetto } else { &normale };
        superficie.draw_text(
            Point::from_xy(56.0, y),
            f.clone(),
            r.dimensione,
            &r.testo,
            false,
            TextDirection::Auto,
        );
    }
    superficie.finish();
    pagina.finish();
    doc.finish().map_err(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of page 1, read back by a PDF parser.
    fn testo(pdf: &[u8]) -> String {
        lopdf::Document::load_mem(pdf)
            .unwrap()
            .extract_text(&[1])
            .unwrap()
    }

    #[test]
    fn a_receipt_reads_back_with_its_accented_letters_and_declares_pdf_a() {
        let quando = chrono::DateTime::parse_from_rfc3339("2026-06-30T11:59:00Z")
            .unwrap()
            .to_utc();
        let righe = [
            Riga::titolo("Ricevuta n. 7", 16.0),
            Riga::testo("Città (Torino) – è così: € 1.234,56"),
        ];
        let pdf = documento("Ricevuta n. 7", quando, &righe).unwrap();
        assert_eq!(
            pdf,
            documento("Ricevuta n. 7", quando, &righe).unwrap(),
            "reproducible"
        );
        assert!(pdf.starts_with(b"%PDF-1.7"), "PDF/A-2 is PDF 1.7");
        let t = testo(&pdf);
        assert!(t.contains("Ricevuta n. 7"), "{t}");
        assert!(t.contains("Città (Torino) – è così: € 1.234,56"), "{t}");
        let grezzo = String::from_utf8_lossy(&pdf);
        assert!(
            grezzo.contains("pdfaid:part") && grezzo.contains("FontFile2"),
            "PDF/A identification and the font embedded"
        );
    }
}
