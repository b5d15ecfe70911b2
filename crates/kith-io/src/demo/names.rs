//! Names and places for the demo's people: diverse first and last names (some with
//! accents and apostrophes, as real exports have), and cities with their region, country
//! and a postal-code pattern in each country's own format.
//!
//! Every name here is a common given name or surname; the combinations are random, so no
//! real person is described.

use super::rng::Rng;

#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Amelia", "Harper", "Evelyn", "Abigail",
    "Emily", "Ella", "Elizabeth", "Camila", "Luna", "Sofía", "Avery", "Mila", "Aria", "Scarlett",
    "Penelope", "Layla", "Chloé", "Victoria", "Madison", "Eleanor", "Grace", "Nora", "Riley", "Zoë",
    "Hannah", "Hazel", "Lily", "Ellie", "Violet", "Stella", "Aurora", "Natalie", "Leah", "Willow",
    "Lucy", "Audrey", "Claire", "Naomi", "Elena", "Caroline", "Maya", "Priya", "Ananya", "Aisha",
    "Fatima", "Mei", "Yuna", "Hana", "Sakura", "Ji-woo", "Keisha", "Imani", "Aaliyah", "Nia",
    "Ximena", "María", "Lucía", "Valentina", "Guadalupe", "Renée", "Siobhán", "Ingrid", "Freya",
    "Noémie", "Leilani", "Thandiwe", "Amara", "Chiamaka", "Zainab", "Yasmin", "Leila", "Shira",
    "Tamar", "Anika", "Linh", "Mai", "Sana", "Meera", "Esperanza", "Marisol", "Tatiana", "Olga",
    "Beatriz", "Margaux", "Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin",
    "Lucas", "Henry", "Theodore", "Jack", "Levi", "Alexander", "Mateo", "Daniel", "Michael",
    "Mason", "Sebastian", "Ethan", "Logan", "Owen", "Samuel", "Jacob", "Asher", "Aiden", "John",
    "Joseph", "Wyatt", "David", "Leo", "Luke", "Julian", "Hudson", "Matthew", "Ezra", "Gabriel",
    "Carter", "Isaac", "Luca", "Anthony", "Dylan", "Thomas", "Elias", "Charles", "Caleb", "Miles",
    "Isaiah", "Andrew", "Nathan", "Nolan", "Adrian", "Santiago", "Aaron", "Ryan", "Cooper", "Kai",
    "Christian", "Roman", "Wesley", "Silas", "Nicholas", "Connor", "Dominic", "Xavier", "José",
    "Joaquín", "Diego", "Alejandro", "Héctor", "Ramón", "Andrés", "Rahul", "Arjun", "Vikram",
    "Rohan", "Omar", "Yusuf", "Karim", "Hamza", "Tariq", "Wei", "Jun", "Hiroshi", "Kenji", "Takumi",
    "Min-jun", "Duc", "Minh", "Kwame", "Kofi", "Tunde", "Chidi", "Malik", "Darnell", "DeShawn",
    "Marcus", "Andre", "Jamal", "Björn", "Lars", "Søren", "Thiago", "Rafael", "Alex", "Jordan",
    "Taylor", "Sam", "Casey", "Rowan", "River", "Quinn", "Sage", "Emerson", "Finley", "Reese",
    "Jamie", "Morgan", "Dakota", "Skyler", "Ari", "Robin",
];

#[rustfmt::skip]
pub const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernández", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
    "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
    "Mitchell", "Carter", "Roberts", "Gómez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
    "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook",
    "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly",
    "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood",
    "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders",
    "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Chen", "Wang", "Li", "Zhang", "Liu",
    "Singh", "Kumar", "Shah", "Gupta", "Khan", "Ali", "Ahmed", "Hassan", "Haddad", "Nakamura",
    "Tanaka", "Sato", "Suzuki", "Park", "Choi", "Tran", "Pham", "Le", "Okafor", "Adeyemi", "Mensah",
    "Diallo", "Mwangi", "O'Brien", "O'Connor", "Kowalski", "Nowak", "Müller", "Schmidt", "Rossi",
    "Russo", "Silva", "Santos", "Oliveira", "Costa", "Andersen", "Larsen", "Johansson", "Lindqvist",
    "Cohen", "Friedman", "MacLeod", "Fraser", "Nwosu", "Abebe", "Tesfaye", "Yilmaz", "Kaya",
    "Popescu", "Petrov", "Dubois", "Moreau", "Fernández", "Muñoz", "Peña", "Castro", "Vargas",
    "Romero", "Begay", "Yazzie", "Kealoha", "Whitehorse", "Lam", "Ho", "Wu", "Zhou", "Bui", "Vu",
];

/// How a country writes its postal codes.
#[derive(Debug, Clone, Copy)]
pub enum Postal {
    /// The first three digits of the ZIP code (a real sectional centre for the city).
    Us(&'static str),
    /// Forward sortation areas of the city; a local delivery unit is appended.
    Ca(&'static [&'static str]),
    /// Outward codes of the city; an inward code is appended.
    Gb(&'static [&'static str]),
    /// The city's range of four-digit postcodes, inclusive.
    Au(u16, u16),
}

#[derive(Debug, Clone, Copy)]
pub struct City {
    pub name: &'static str,
    pub region: &'static str,
    pub country: &'static str,
    pub postal: Postal,
    /// Relative share of customers; Colorado and the Mountain West weigh more because the
    /// brand is a Colorado roaster.
    pub weight: f64,
}

const fn us(name: &'static str, region: &'static str, zip3: &'static str, weight: f64) -> City {
    City {
        name,
        region,
        country: "US",
        postal: Postal::Us(zip3),
        weight,
    }
}

const fn ca(
    name: &'static str,
    region: &'static str,
    fsa: &'static [&'static str],
    weight: f64,
) -> City {
    City {
        name,
        region,
        country: "CA",
        postal: Postal::Ca(fsa),
        weight,
    }
}

const fn gb(
    name: &'static str,
    region: &'static str,
    out: &'static [&'static str],
    weight: f64,
) -> City {
    City {
        name,
        region,
        country: "GB",
        postal: Postal::Gb(out),
        weight,
    }
}

const fn au(name: &'static str, region: &'static str, lo: u16, hi: u16, weight: f64) -> City {
    City {
        name,
        region,
        country: "AU",
        postal: Postal::Au(lo, hi),
        weight,
    }
}

/// Roughly 82 % US, 8 % Canada, 5 % UK and 5 % Australia by weight.
#[rustfmt::skip]
pub const CITIES: &[City] = &[
    us("Denver", "CO", "802", 60.0),
    us("Boulder", "CO", "803", 40.0),
    us("Fort Collins", "CO", "805", 18.0),
    us("Colorado Springs", "CO", "809", 16.0),
    us("Durango", "CO", "813", 5.0),
    us("Salt Lake City", "UT", "841", 20.0),
    us("Bozeman", "MT", "597", 6.0),
    us("Missoula", "MT", "598", 4.0),
    us("Jackson", "WY", "830", 3.0),
    us("Boise", "ID", "837", 8.0),
    us("Flagstaff", "AZ", "860", 4.0),
    us("Phoenix", "AZ", "850", 18.0),
    us("Tucson", "AZ", "857", 7.0),
    us("Santa Fe", "NM", "875", 4.0),
    us("Albuquerque", "NM", "871", 7.0),
    us("Las Vegas", "NV", "891", 8.0),
    us("Reno", "NV", "895", 5.0),
    us("Seattle", "WA", "981", 30.0),
    us("Spokane", "WA", "992", 5.0),
    us("Portland", "OR", "972", 26.0),
    us("Bend", "OR", "977", 6.0),
    us("San Francisco", "CA", "941", 24.0),
    us("Oakland", "CA", "946", 12.0),
    us("San Jose", "CA", "951", 10.0),
    us("Sacramento", "CA", "958", 9.0),
    us("Los Angeles", "CA", "900", 38.0),
    us("San Diego", "CA", "921", 18.0),
    us("Austin", "TX", "787", 22.0),
    us("Dallas", "TX", "752", 16.0),
    us("Houston", "TX", "770", 16.0),
    us("San Antonio", "TX", "782", 8.0),
    us("Chicago", "IL", "606", 30.0),
    us("Minneapolis", "MN", "554", 14.0),
    us("Madison", "WI", "537", 6.0),
    us("Milwaukee", "WI", "532", 5.0),
    us("Kansas City", "MO", "641", 7.0),
    us("St. Louis", "MO", "631", 6.0),
    us("Columbus", "OH", "432", 8.0),
    us("Ann Arbor", "MI", "481", 5.0),
    us("Detroit", "MI", "482", 6.0),
    us("Nashville", "TN", "372", 10.0),
    us("Atlanta", "GA", "303", 14.0),
    us("Asheville", "NC", "288", 6.0),
    us("Charlotte", "NC", "282", 8.0),
    us("Raleigh", "NC", "276", 8.0),
    us("Richmond", "VA", "232", 6.0),
    us("Washington", "DC", "200", 14.0),
    us("Baltimore", "MD", "212", 6.0),
    us("Philadelphia", "PA", "191", 14.0),
    us("Pittsburgh", "PA", "152", 7.0),
    us("New York", "NY", "100", 36.0),
    us("Brooklyn", "NY", "112", 22.0),
    us("Boston", "MA", "021", 18.0),
    us("Burlington", "VT", "054", 4.0),
    us("Portland", "ME", "041", 4.0),
    us("Miami", "FL", "331", 10.0),
    us("Tampa", "FL", "336", 7.0),
    us("Orlando", "FL", "328", 7.0),
    us("New Orleans", "LA", "701", 5.0),
    us("Anchorage", "AK", "995", 3.0),
    us("Honolulu", "HI", "968", 4.0),
    ca("Vancouver", "BC", &["V5K", "V5L", "V6B", "V6K"], 20.0),
    ca("Victoria", "BC", &["V8W", "V8V"], 4.0),
    ca("Calgary", "AB", &["T2P", "T2R", "T3A"], 10.0),
    ca("Canmore", "AB", &["T1W"], 2.0),
    ca("Edmonton", "AB", &["T5J", "T6E"], 5.0),
    ca("Toronto", "ON", &["M5V", "M4C", "M6G", "M6J"], 16.0),
    ca("Ottawa", "ON", &["K1P", "K2P"], 4.0),
    ca("Montréal", "QC", &["H2X", "H2T", "H2J"], 7.0),
    ca("Halifax", "NS", &["B3H", "B3K"], 3.0),
    gb("London", "England", &["E1", "E8", "N1", "SE15", "SW11", "NW5"], 22.0),
    gb("Manchester", "England", &["M1", "M4", "M14"], 6.0),
    gb("Bristol", "England", &["BS1", "BS6"], 5.0),
    gb("Leeds", "England", &["LS1", "LS6"], 3.0),
    gb("Sheffield", "England", &["S1", "S10"], 3.0),
    gb("Brighton", "England", &["BN1", "BN2"], 3.0),
    gb("Kendal", "England", &["LA9"], 1.0),
    gb("Edinburgh", "Scotland", &["EH1", "EH6", "EH9"], 5.0),
    gb("Glasgow", "Scotland", &["G1", "G12"], 3.0),
    gb("Cardiff", "Wales", &["CF10", "CF24"], 2.0),
    au("Sydney", "NSW", 2000, 2234, 18.0),
    au("Melbourne", "VIC", 3000, 3207, 16.0),
    au("Brisbane", "QLD", 4000, 4179, 7.0),
    au("Perth", "WA", 6000, 6199, 5.0),
    au("Adelaide", "SA", 5000, 5199, 3.0),
    au("Hobart", "TAS", 7000, 7099, 2.0),
    au("Canberra", "ACT", 2600, 2620, 2.0),
];

/// The cities a mostly Colorado-based team works from.
pub const EMPLOYEE_CITIES: &[(&str, f64)] = &[
    ("Boulder", 55.0),
    ("Denver", 30.0),
    ("Fort Collins", 8.0),
    ("Salt Lake City", 4.0),
    ("Portland", 3.0),
];

/// Letters Canada Post uses in postal codes.
const CA_LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXYZ";
/// Letters Royal Mail uses in the unit part of an inward code.
const GB_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

pub fn postal_code(rng: &mut Rng, postal: Postal) -> String {
    let digit = |rng: &mut Rng| char::from(b'0' + rng.below(10) as u8);
    match postal {
        Postal::Us(zip3) => format!("{zip3}{:02}", rng.below(100)),
        Postal::Ca(fsas) => {
            let fsa = rng.pick(fsas);
            let a = digit(rng);
            let b = char::from(rng.pick(CA_LETTERS));
            let c = digit(rng);
            format!("{fsa} {a}{b}{c}")
        }
        Postal::Gb(outs) => {
            let out = rng.pick(outs);
            let d = digit(rng);
            let a = char::from(rng.pick(GB_LETTERS));
            let b = char::from(rng.pick(GB_LETTERS));
            format!("{out} {d}{a}{b}")
        }
        Postal::Au(lo, hi) => rng.range(u64::from(lo), u64::from(hi)).to_string(),
    }
}

/// Lower-case ASCII letters and digits only: how a name appears inside an email address
/// or a handle (`Siobhán O'Brien` → `siobhan`, `obrien`).
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'ễ' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ñ' => "n",
            'ç' => "c",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_only_ascii_letters_and_digits() {
        assert_eq!(fold("Siobhán"), "siobhan");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("Ji-woo"), "jiwoo");
        assert_eq!(fold("Søren Müller"), "sorenmuller");
    }

    #[test]
    fn every_name_folds_to_something() {
        for name in FIRST_NAMES.iter().chain(LAST_NAMES) {
            assert!(fold(name).len() >= 2, "{name}");
        }
    }

    #[test]
    fn postal_codes_follow_each_countrys_format() {
        let mut rng = Rng::new(1);
        assert_eq!(postal_code(&mut rng, Postal::Us("054")).len(), 5);
        let ca = postal_code(&mut rng, Postal::Ca(&["V6B"]));
        assert!(ca.starts_with("V6B ") && ca.len() == 7, "{ca}");
        let gb = postal_code(&mut rng, Postal::Gb(&["SW11"]));
        assert!(gb.starts_with("SW11 ") && gb.len() == 8, "{gb}");
        let au: u32 = postal_code(&mut rng, Postal::Au(2000, 2234))
            .parse()
            .unwrap();
        assert!((2000..=2234).contains(&au));
    }

    #[test]
    fn employee_cities_are_known_cities() {
        for (name, _) in EMPLOYEE_CITIES {
            assert!(CITIES.iter().any(|c| c.name == *name), "{name}");
        }
    }
}
