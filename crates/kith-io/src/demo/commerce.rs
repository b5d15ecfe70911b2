//! The shop side of the demo: customers and employees, and their orders.
//!
//! Order counts are heavy-tailed the way a DTC shop's are: most customers bought once,
//! a few subscribe (an order a month), a handful of wholesale accounts buy in bulk, and
//! some signed up without buying. Every amount is computed in integer cents from a
//! catalogue price, a percentage discount, a shipping rule and a tax rate in basis
//! points, so each order adds up exactly; `orders_count` is the number of orders written
//! for the person and `total_spent` the sum of their `total_price` except refunded orders.

use std::collections::HashSet;

use kith_core::{Money, Order, Person, PersonSource};
use time::{Duration, OffsetDateTime};

use super::brand::{self, PRODUCTS};
use super::names::{self, CITIES, City, EMPLOYEE_CITIES, FIRST_NAMES, LAST_NAMES};
use super::rng::Rng;
use super::topics::TOPICS;
use super::{Attitude, FETCHED_AT, Member};

/// An order with what the generator knows beyond the record: what was in the basket
/// (for reviews).
#[derive(Debug)]
pub struct PlacedOrder {
    pub order: Order,
    pub products: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    /// Signed up (newsletter, account) but never bought.
    Lead,
    Regular,
    Subscriber,
    Wholesale,
}

const EMAIL_DOMAINS: &[(&str, f64)] = &[
    ("example.com", 45.0),
    ("example.net", 20.0),
    ("example.org", 10.0),
    ("mail.example.com", 15.0),
    ("inbox.example.net", 10.0),
];

/// (department, share of staff, titles). The first three employees are the leadership.
const DEPARTMENTS: &[(&str, f64, &[&str])] = &[
    (
        "Cafés",
        35.0,
        &[
            "Barista",
            "Barista",
            "Barista",
            "Lead Barista",
            "Shift Supervisor",
            "Café Manager",
        ],
    ),
    (
        "Roasting & Production",
        18.0,
        &[
            "Roaster",
            "Production Associate",
            "Production Associate",
            "Quality Control Lead",
            "Green Coffee Buyer",
        ],
    ),
    (
        "Fulfillment",
        14.0,
        &[
            "Fulfillment Associate",
            "Fulfillment Associate",
            "Warehouse Lead",
            "Logistics Coordinator",
        ],
    ),
    (
        "Customer Care",
        8.0,
        &[
            "Customer Care Specialist",
            "Customer Care Specialist",
            "Customer Care Lead",
        ],
    ),
    (
        "Marketing",
        6.0,
        &[
            "Social Media Manager",
            "Content Creator",
            "Community Manager",
            "Brand Designer",
            "Marketing Coordinator",
        ],
    ),
    (
        "E-commerce",
        5.0,
        &["E-commerce Manager", "Growth Marketer", "Web Developer"],
    ),
    (
        "Wholesale",
        5.0,
        &["Wholesale Account Manager", "Sales Representative"],
    ),
    (
        "Finance & People",
        5.0,
        &[
            "Accountant",
            "People Operations Manager",
            "Recruiter",
            "Finance Manager",
        ],
    ),
];
const LEADERSHIP: &[&str] = &["Founder & CEO", "Chief Operating Officer", "Head of Coffee"];

pub fn generate_people(
    seed: u64,
    customers: u32,
    employees: u32,
) -> (Vec<Member>, Vec<PlacedOrder>) {
    let mut rng = Rng::stream(seed, 1);
    let mut emails: HashSet<String> = HashSet::new();
    let mut members = Vec::with_capacity(customers as usize + employees as usize);
    let mut orders = Vec::new();
    let city_weights: Vec<f64> = CITIES.iter().map(|c| c.weight).collect();
    for i in 0..customers {
        let city = &CITIES[rng.weighted(&city_weights)];
        let mut member = new_member(
            &mut rng,
            format!("C{:06}", i + 1),
            PersonSource::Customer,
            city,
        );
        let email = unique_email(&mut rng, &mut emails, &member.person, None);
        member.person.email = Some(email);
        member.person.accepts_marketing = Some(rng.bernoulli(0.55));
        member.newsletter = member.person.accepts_marketing == Some(true) && rng.bernoulli(0.7);
        let segment = match rng.f64() {
            r if r < 0.06 => Segment::Lead,
            r if r < 0.065 => Segment::Wholesale,
            r if r < 0.145 => Segment::Subscriber,
            _ => Segment::Regular,
        };
        member.subscriber = segment == Segment::Subscriber;
        member.wholesale = segment == Segment::Wholesale;
        let placed = place_orders(&mut rng, &member, city, segment);
        let spent: i64 = placed
            .iter()
            .filter(|p| p.order.financial_status.as_deref() != Some("refunded"))
            .filter_map(|p| p.order.total_price.map(Money::minor))
            .sum();
        member.person.orders_count = Some(placed.len() as u32);
        member.person.total_spent = Some(Money::from_minor(spent));
        member.orders = (orders.len()..orders.len() + placed.len()).collect();
        orders.extend(placed);
        members.push(member);
    }
    let dept_weights: Vec<f64> = DEPARTMENTS.iter().map(|d| d.1).collect();
    let employee_city_weights: Vec<f64> = EMPLOYEE_CITIES.iter().map(|c| c.1).collect();
    for i in 0..employees {
        let name = EMPLOYEE_CITIES[rng.weighted(&employee_city_weights)].0;
        let city = CITIES.iter().find(|c| c.name == name).unwrap_or(&CITIES[0]);
        let mut member = new_member(
            &mut rng,
            format!("E{:04}", i + 1),
            PersonSource::Employee,
            city,
        );
        let email = unique_email(
            &mut rng,
            &mut emails,
            &member.person,
            Some(brand::EMAIL_DOMAIN),
        );
        member.person.email = Some(email);
        let (department, title) = match LEADERSHIP.get(i as usize) {
            Some(title) => ("Leadership", *title),
            None => {
                let (dept, _, titles) = DEPARTMENTS[rng.weighted(&dept_weights)];
                (dept, rng.pick(titles))
            }
        };
        member.person.department = Some(department.to_owned());
        member.person.title = Some(title.to_owned());
        member.title = Some(title);
        // Staff are keener on coffee and the outdoors than the average customer.
        if !member.interests.contains(&0) && rng.bernoulli(0.5) {
            member.interests.insert(0, 0);
            member.interests.truncate(3);
        }
        members.push(member);
    }
    (members, orders)
}

fn new_member(rng: &mut Rng, id: String, source: PersonSource, city: &City) -> Member {
    let topic_weights: Vec<f64> = TOPICS.iter().map(|t| t.weight).collect();
    let wanted = [1, 1, 2, 2, 2, 3][rng.index(6)];
    let mut interests: Vec<usize> = Vec::with_capacity(3);
    while interests.len() < wanted {
        let t = rng.weighted(&topic_weights);
        if !interests.contains(&t) {
            interests.push(t);
        }
    }
    let person = Person {
        id,
        source: Some(source),
        first_name: Some((rng.pick(FIRST_NAMES)).to_owned()),
        last_name: Some((rng.pick(LAST_NAMES)).to_owned()),
        city: Some(city.name.to_owned()),
        region: Some(city.region.to_owned()),
        country: Some(city.country.to_owned()),
        postal_code: Some(names::postal_code(rng, city.postal)),
        ..Person::default()
    };
    Member {
        person,
        interests,
        clout: rng.f64(),
        spend_rank: 0.5,
        attitude: Attitude::Indifferent,
        orders: Vec::new(),
        title: None,
        newsletter: false,
        subscriber: false,
        wholesale: false,
        vip: false,
        loyalty: false,
    }
}

/// An address made from the name, as people make them; a number settles collisions.
fn unique_email(
    rng: &mut Rng,
    taken: &mut HashSet<String>,
    person: &Person,
    domain: Option<&str>,
) -> String {
    let f = names::fold(person.first_name.as_deref().unwrap_or("customer"));
    let l = names::fold(person.last_name.as_deref().unwrap_or("demo"));
    let domain = match domain {
        Some(d) => d.to_owned(),
        None => {
            let weights: Vec<f64> = EMAIL_DOMAINS.iter().map(|d| d.1).collect();
            EMAIL_DOMAINS[rng.weighted(&weights)].0.to_owned()
        }
    };
    let local = if domain == brand::EMAIL_DOMAIN {
        format!("{f}.{l}")
    } else {
        let initial = f.chars().next().unwrap_or('x');
        match rng.weighted(&[30.0, 15.0, 20.0, 10.0, 15.0, 10.0]) {
            0 => format!("{f}.{l}"),
            1 => format!("{f}{l}"),
            2 => format!("{f}.{l}{:02}", rng.below(100)),
            3 => format!("{f}{}", rng.range(1962, 2006)),
            4 => format!("{initial}{l}"),
            _ => format!("{f}_{l}{}", rng.range(1, 9)),
        }
    };
    let mut email = format!("{local}@{domain}");
    let mut n = 2;
    while !taken.insert(email.clone()) {
        email = format!("{local}{n}@{domain}");
        n += 1;
    }
    email
}

fn place_orders(rng: &mut Rng, m: &Member, city: &City, segment: Segment) -> Vec<PlacedOrder> {
    // Days before the fetch instant, oldest first.
    let mut days: Vec<f64> = match segment {
        Segment::Lead => Vec::new(),
        Segment::Regular => {
            // Discrete power law: P(k ≥ n) = n^-1.7, so 69 % buy once.
            let k = (rng.pareto(1.0, 1.7).floor() as usize).min(40);
            let first = rng.uniform(5.0, 1_095.0);
            let mut d: Vec<f64> = (1..k).map(|_| rng.uniform(0.5, first)).collect();
            d.push(first);
            d
        }
        Segment::Subscriber => {
            let k = rng.range(2, 14) as usize;
            let start = k as f64 * 30.0 + rng.uniform(0.0, 20.0);
            (0..k)
                .map(|i| (start - 30.0 * i as f64 + rng.uniform(-2.0, 2.0)).max(0.5))
                .collect()
        }
        Segment::Wholesale => {
            let k = rng.range(6, 40) as usize;
            (0..k).map(|_| rng.uniform(1.0, 720.0)).collect()
        }
    };
    days.sort_by(|a, b| b.total_cmp(a));
    let weights = brand::product_weights();
    let coffees = brand::coffee_indices();
    let mut out = Vec::with_capacity(days.len());
    for (n, d) in days.into_iter().enumerate() {
        let created = FETCHED_AT - Duration::seconds((d * 86_400.0) as i64);
        let mut products = Vec::new();
        let mut items: i64 = 0;
        let lines = match segment {
            Segment::Wholesale => rng.range(1, 3),
            Segment::Subscriber => rng.range(1, 2),
            _ => [1, 1, 1, 1, 1, 1, 2, 2, 2, 3][rng.index(10)],
        };
        for _ in 0..lines {
            let p = if segment == Segment::Regular {
                rng.weighted(&weights)
            } else {
                rng.pick(&coffees)
            };
            let qty: i64 = match segment {
                Segment::Wholesale => rng.range(6, 24) as i64,
                _ if rng.bernoulli(0.2) => 2,
                _ => 1,
            };
            items += PRODUCTS[p].price * qty;
            products.push(p);
        }
        let (code, percent, free_ship) = match segment {
            Segment::Wholesale => (Some("WHOLESALE30"), 30, true),
            Segment::Subscriber => (Some("SUBSCRIBE10"), 10, true),
            _ if n == 0 && rng.bernoulli(0.2) => (Some("WELCOME10"), 10, false),
            _ => match rng.f64() {
                r if r < 0.05 => (Some("TRAIL15"), 15, false),
                r if r < 0.07 => (Some("FRIENDS20"), 20, false),
                r if r < 0.11 => (Some("FREESHIP"), 0, true),
                _ => (None, 0, false),
            },
        };
        let discount = (items * percent + 50) / 100;
        let subtotal = items - discount;
        let domestic = city.country == "US";
        let shipping = match (free_ship, domestic) {
            (true, _) => 0,
            (false, true) if subtotal >= 5_000 => 0,
            (false, true) => 695,
            (false, false) if subtotal >= 10_000 => 0,
            (false, false) => 1_495,
        };
        // US sales tax in basis points (a flat average; Oregon, Montana and Alaska have
        // none). Orders abroad pay duties on delivery, so no tax is collected here.
        let tax_bps: i64 = match (domestic, city.region) {
            (true, "OR" | "MT" | "AK") | (false, _) => 0,
            (true, _) => 725,
        };
        let tax = (subtotal * tax_bps + 5_000) / 10_000;
        let status = match rng.f64() {
            r if r < 0.025 => "refunded",
            r if r < 0.05 => "partially_refunded",
            _ => "paid",
        };
        let order = Order {
            id: String::new(),
            person_id: Some(m.person.id.clone()),
            email: m.person.email.clone(),
            created_at: Some(created),
            currency: Some(brand::CURRENCY.to_owned()),
            subtotal_price: Money::from_minor(subtotal),
            total_price: Some(Money::from_minor(subtotal + shipping + tax)),
            total_discounts: Some(Money::from_minor(discount)),
            discount_codes: code.map(|c| vec![c.to_owned()]).unwrap_or_default(),
            financial_status: Some(status.to_owned()),
            landing_site: None,
            referring_site: None,
        };
        out.push(PlacedOrder { order, products });
    }
    out
}

/// Ranks customers by spend (0 = least, 1 = most), marks the top 2 % as VIP, and decides
/// how each person feels about the brand. Fans skew toward big spenders and detractors
/// toward small ones; staff are mostly fans.
pub fn rank_and_assign_attitudes(seed: u64, members: &mut [Member]) {
    let mut rng = Rng::stream(seed, 2);
    let mut customers: Vec<usize> = (0..members.len())
        .filter(|i| members[*i].person.source == Some(PersonSource::Customer))
        .collect();
    customers.sort_by_key(|i| (members[*i].person.total_spent.unwrap_or(Money::ZERO), *i));
    let n = customers.len();
    for (rank, i) in customers.iter().enumerate() {
        let m = &mut members[*i];
        m.spend_rank = if n > 1 {
            rank as f64 / (n - 1) as f64
        } else {
            0.5
        };
        m.vip = rank * 50 >= n * 49 && m.person.total_spent.is_some_and(|s| s.minor() > 0);
    }
    for m in members.iter_mut() {
        let s = m.spend_rank;
        let weights = match m.person.source {
            Some(PersonSource::Employee) => [0.51, 0.45, 0.01, 0.03],
            _ => {
                let lover = 0.05 * (0.4 + 1.2 * s);
                let detractor = 0.014 * (1.6 - 1.2 * s);
                let mixed = 0.012;
                [1.0 - lover - detractor - mixed, lover, detractor, mixed]
            }
        };
        m.attitude = [
            Attitude::Indifferent,
            Attitude::Lover,
            Attitude::Detractor,
            Attitude::Mixed,
        ][rng.weighted(&weights)];
    }
}

/// Orders as the shop exports them: oldest first, numbered in that order.
pub fn into_export_order(placed: Vec<PlacedOrder>) -> Vec<Order> {
    let mut orders: Vec<(OffsetDateTime, usize, Order)> = placed
        .into_iter()
        .enumerate()
        .map(|(i, p)| (p.order.created_at.unwrap_or(FETCHED_AT), i, p.order))
        .collect();
    orders.sort_by_key(|(t, i, _)| (*t, *i));
    orders
        .into_iter()
        .enumerate()
        .map(|(n, (_, _, mut o))| {
            // Shopify-style numeric ids, increasing with time.
            o.id = (6_100_000_001_000u64 + n as u64).to_string();
            o
        })
        .collect()
}

/// A person's tags, in a fixed order.
pub fn tags(m: &Member) -> Vec<String> {
    [
        (m.vip, "VIP"),
        (m.wholesale, "wholesale"),
        (m.subscriber, "subscriber"),
        (m.newsletter, "newsletter"),
        (m.loyalty, "loyalty"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, t)| t.to_owned())
    .collect()
}
