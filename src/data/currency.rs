//! The currencies the briefing pack can show money in (`--currency USD|EUR|GBP`), and the
//! exchange rates it converts at: a sourced table, like every other figure of the data.
//!
//! All money in pledge is constant base-year US dollars (MODEL.md section 1). Another currency
//! is a presentation choice: a figure is divided by one constant rate, the number of US
//! dollars one unit of the currency buys, stated for the data's base year. The rates are the
//! ones the builtin data already uses to turn euro and pound source figures into dollars
//! (`src/data/builtin/README.md`, "Units"; the `notes` of `items.csv`), so that showing a
//! figure in euros undoes exactly the conversion made when it was entered. They are
//! approximations, and are stated as such wherever they are used.
//!
//! No rate is invented: a rate holds only for the year the data states it for, so money of
//! results with another base year is shown in US dollars only ([`Currency::check_base_year`]).

/// A currency money can be shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Currency {
    /// US dollars: the unit of the data and of every result file.
    #[default]
    Usd,
    /// Euros.
    Eur,
    /// Pounds sterling.
    Gbp,
}

/// One exchange rate, with where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExchangeRate {
    /// The currency.
    pub currency: Currency,
    /// US dollars per unit of the currency: `1.13` USD per EUR.
    pub usd_per_unit: f64,
    /// The year it is stated for: the builtin data's base year.
    pub year: i32,
    /// Where the data states it, with its words.
    pub source: &'static str,
}

/// The rates, one per currency other than the US dollar.
pub const EXCHANGE_RATES: [ExchangeRate; 2] = [
    ExchangeRate {
        currency: Currency::Eur,
        usd_per_unit: 1.13,
        year: 2025,
        source: "src/data/builtin/README.md: 2025 unit costs \u{201c}converted from EUR at 1.13 \
                 and GBP at 1.27\u{201d}, an approximation; items.csv: \u{201c}an assumed 1.13 \
                 USD/EUR (2025 average, approximate)\u{201d}",
    },
    ExchangeRate {
        currency: Currency::Gbp,
        usd_per_unit: 1.27,
        year: 2025,
        source: "src/data/builtin/README.md: 2025 unit costs \u{201c}converted from EUR at 1.13 \
                 and GBP at 1.27\u{201d}, an approximation; items.csv: \u{201c}cost at an \
                 assumed 1.27 USD/GBP\u{201d}",
    },
];

impl Currency {
    /// Every currency, in the order the flag lists them.
    pub const ALL: [Currency; 3] = [Currency::Usd, Currency::Eur, Currency::Gbp];

    /// The ISO 4217 code: `USD`, `EUR`, `GBP`.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
        }
    }

    /// The currency of an ISO 4217 code in upper or lower case.
    pub fn from_code(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }

    /// Its rate, `None` for the US dollar (no conversion).
    pub fn rate(self) -> Option<&'static ExchangeRate> {
        EXCHANGE_RATES.iter().find(|r| r.currency == self)
    }

    /// US dollars per unit: 1 for the US dollar.
    pub fn usd_per_unit(self) -> f64 {
        self.rate().map_or(1.0, |r| r.usd_per_unit)
    }

    /// USD millions in millions of this currency.
    pub fn millions(self, musd: f64) -> f64 {
        match self.rate() {
            Some(rate) => musd / rate.usd_per_unit,
            None => musd,
        }
    }

    /// USD millions in billions of this currency.
    pub fn billions(self, musd: f64) -> f64 {
        self.millions(musd) / 1000.0
    }

    /// Whether money of results with base year `base_year` can be shown in this currency: the
    /// US dollar always; another only when its rate is stated for that year. The error says
    /// why, for a message located at `--currency`.
    pub fn check_base_year(self, base_year: i32) -> Result<(), String> {
        match self.rate() {
            Some(rate) if rate.year != base_year => Err(format!(
                "{} is stated for {} only ({} USD/{}), and these results are in constant {} \
                 US dollars; use USD",
                self.code(),
                rate.year,
                rate.usd_per_unit,
                self.code(),
                base_year
            )),
            _ => Ok(()),
        }
    }

    /// The prices money is shown at: `constant 2025 USD`, or `constant 2025 prices at 1.13
    /// USD/EUR`.
    pub fn prices(self, base_year: i32) -> String {
        match self.rate() {
            Some(rate) => format!(
                "constant {base_year} prices at {} USD/{}",
                rate.usd_per_unit,
                self.code()
            ),
            None => format!("constant {base_year} USD"),
        }
    }

    /// The sentence that states the rate and its source, for the notes of the page, the
    /// workbook and the charts; `None` for the US dollar.
    pub fn rate_note(self) -> Option<String> {
        let rate = self.rate()?;
        Some(format!(
            "Money in {code} at {rate} USD/{code}: the results are in constant {year} US \
             dollars, shown at the rate the builtin data uses to convert {code} source figures \
             ({source}). One rate for every year: it changes the unit, not the projection. \
             summary.csv and result.json stay in USD.",
            code = self.code(),
            year = rate.year,
            rate = rate.usd_per_unit,
            source = rate.source,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_currency_but_the_dollar_has_one_rate() {
        for currency in Currency::ALL {
            let rates = EXCHANGE_RATES
                .iter()
                .filter(|r| r.currency == currency)
                .count();
            assert_eq!(
                rates,
                usize::from(currency != Currency::Usd),
                "{currency:?}"
            );
            assert_eq!(Currency::from_code(currency.code()), Some(currency));
            assert_eq!(
                Currency::from_code(&currency.code().to_lowercase()),
                Some(currency)
            );
        }
        assert_eq!(Currency::from_code("XYZ"), None);
    }

    #[test]
    fn the_rates_are_the_ones_the_builtin_data_states() {
        let readme = include_str!("builtin/README.md").replace('\n', " ");
        assert!(readme.contains("converted from EUR at 1.13 and GBP at 1.27"));
        let items = super::super::builtin::ITEMS_CSV;
        assert!(items.contains("an assumed 1.13 USD/EUR (2025 average, approximate)"));
        assert!(items.contains("cost at an assumed 1.27 USD/GBP"));
        for rate in &EXCHANGE_RATES {
            let quoted = rate
                .source
                .split('\u{201c}')
                .skip(1)
                .map(|q| q.split('\u{201d}').next().unwrap());
            for quote in quoted {
                assert!(readme.contains(quote) || items.contains(quote), "{quote}");
            }
        }
        assert_eq!(Currency::Eur.usd_per_unit(), 1.13);
        assert_eq!(Currency::Gbp.usd_per_unit(), 1.27);
        for rate in &EXCHANGE_RATES {
            assert_eq!(rate.year, super::super::builtin::BASE_YEAR);
        }
    }

    #[test]
    fn money_is_divided_by_the_rate() {
        assert_eq!(Currency::Usd.billions(2_466_812.3), 2_466_812.3 / 1000.0);
        assert_eq!(Currency::Eur.millions(1130.0), 1130.0 / 1.13);
        assert_eq!(
            Currency::Eur.prices(2025),
            "constant 2025 prices at 1.13 USD/EUR"
        );
        assert_eq!(Currency::Usd.prices(2025), "constant 2025 USD");
        assert!(Currency::Usd.rate_note().is_none());
        assert!(Currency::Gbp.rate_note().unwrap().contains("1.27 USD/GBP"));
    }

    #[test]
    fn a_rate_holds_only_for_its_year() {
        assert!(Currency::Usd.check_base_year(2030).is_ok());
        assert!(Currency::Eur.check_base_year(2025).is_ok());
        let why = Currency::Eur.check_base_year(2030).unwrap_err();
        assert!(why.contains("stated for 2025 only"), "{why}");
    }
}
