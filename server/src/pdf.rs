//! A minimal PDF writer for one-page documents of text (receipts): PDF 1.4, A4, the standard
//! Helvetica fonts with WinAnsi encoding (Italian accented letters included), no external
//! program and no font files.

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

/// The text as a PDF string in WinAnsi encoding: `(`, `)` and `\` escaped; characters outside
/// the encoding become `?`.
fn stringa(t: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in t.chars() {
        let b = match c {
            '(' | ')' | '\\' => {
                out.push(b'\\');
                c as u8
            }
            ' '..='~' => c as u8,
            '€' => 0x80,
            '’' => 0x92,
            '–' => 0x96,
            '—' => 0x97,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            _ => b'?',
        };
        out.push(b);
    }
    out.push(b')');
    out
}

/// A one-page A4 PDF with `righe` from the top, 56 pt margins.
pub fn documento(righe: &[Riga]) -> Vec<u8> {
    let mut contenuto: Vec<u8> = Vec::new();
    let mut y = 786.0f32;
    for r in righe {
        y -= r.dimensione * 1.5;
        let font = if r.grassetto { "F2" } else { "F1" };
        contenuto.extend(format!("BT /{font} {} Tf 56 {y:.1} Td ", r.dimensione).as_bytes());
        contenuto.extend(stringa(&r.testo));
        contenuto.extend(b" Tj ET\n");
    }
    let oggetti: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", contenuto.len()).into_bytes(),
            contenuto,
            b"endstream".to_vec(),
        ]
        .concat(),
    ];
    let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut posizioni = Vec::new();
    for (i, o) in oggetti.iter().enumerate() {
        posizioni.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend(o);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", oggetti.len() + 1).as_bytes());
    for p in posizioni {
        pdf.extend(format!("{p:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            oggetti.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_has_its_header_a_consistent_xref_and_the_text_in_winansi() {
        let pdf = documento(&[
            Riga::titolo("Ricevuta n. 7", 16.0),
            Riga::testo("Città (Torino) – è così"),
        ]);
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert!(String::from_utf8_lossy(&pdf).contains("(Ricevuta n. 7) Tj"));
        // à is 0xE0 in WinAnsi, parentheses are escaped.
        let atteso = b"(Citt\xe0 \\(Torino\\) \x96 \xe8 cos\xec) Tj";
        assert!(pdf.windows(atteso.len()).any(|w| w == atteso));
        // The xref offsets (byte positions) point at the objects.
        let dopo = |marca: &[u8]| {
            pdf.windows(marca.len()).rposition(|w| w == marca).unwrap() + marca.len()
        };
        let numero = |da: usize| -> usize {
            let fine = pdf[da..].iter().position(|b| !b.is_ascii_digit()).unwrap();
            std::str::from_utf8(&pdf[da..da + fine])
                .unwrap()
                .parse()
                .unwrap()
        };
        let start = numero(dopo(b"startxref\n"));
        assert!(pdf[start..].starts_with(b"xref"));
        let primo = numero(dopo(b"65535 f \n"));
        assert!(pdf[primo..].starts_with(b"1 0 obj"));
    }
}
