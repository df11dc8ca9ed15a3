//! Campaigns: what a campaign collects and its life cycle, the compilation window
//! ([`finestra`]), the Region's forms to define and change a campaign ([`definizione`]), a
//! comune's form with its states, receipt and "Da fare" ([`scheda`]) and its values by kind
//! ([`dati`]), the preliminary
//! declaration ([`dichiarazione`]) and the Region's review ([`revisione`]). Every item is
//! reached as `shared::campagna::…`.

mod dati;
mod definizione;
mod dichiarazione;
mod finestra;
mod revisione;
mod scheda;
#[cfg(test)]
mod test_regole;

pub use dati::*;
pub use definizione::*;
pub use dichiarazione::*;
pub use finestra::*;
pub use revisione::*;
pub use scheda::*;

use crate::codici;

codici! {
    /// What a campaign collects.
    TipoCampagna {
        Frequentanti => ("frequentanti", "Bambini frequentanti"),
        Interventi => ("interventi", "Interventi programmati"),
        Monitoraggio => ("monitoraggio", "Monitoraggio"),
    }
}

codici! {
    /// Life cycle of a campaign.
    StatoCampagna {
        Bozza => ("bozza", "Bozza"),
        Pubblicata => ("pubblicata", "Pubblicata"),
        Chiusa => ("chiusa", "Chiusa"),
    }
}
