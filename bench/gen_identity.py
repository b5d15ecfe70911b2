#!/usr/bin/env python3
"""Customers and profiles NDJSON for the identity-resolution benchmark, deterministic by seed.

Usage: bench/gen_identity.py CUSTOMERS PROFILES OUT_DIR [SEED]

Writes OUT_DIR/customers.ndjson and OUT_DIR/profiles.ndjson with every kind of evidence
identity resolution weighs, in proportions like a real brand's: 20 % of customers declare an
Instagram handle and 8 % a TikTok one (nine in ten of those profiles exist); a fifth of the
declared Instagram profiles name a TikTok account in their bio; of the other profiles, a tenth
carry a customer's email in the bio, a tenth a customer's name with their city, and the rest
belong to strangers named from the same name pools (so same-name claims, contested links and
links to review happen by chance, as they do). Posts are not needed: resolution never reads them.
"""

import json
import random
import sys

FIRST = ["Maya", "Sam", "Ana", "Ben", "Chloe", "Dev", "Eunji", "Femi", "Gus", "Hana", "Ivan",
         "Jo", "Kai", "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Theo", "Uma",
         "Vik", "Wen", "Xavi", "Yara", "Zoe", "Aiden", "Bea", "Caleb", "Dara", "Eli", "Farah",
         "Gabe", "Iris", "Jonah", "Kira", "Liam", "Mila", "Noah"]
LAST = ["Chen", "Lee", "Diaz", "Okafor", "Nguyen", "Smith", "Kowalski", "Haddad", "Park",
        "Rossi", "Garcia", "Muller", "Silva", "Khan", "Ivanova", "Tanaka", "Brown", "Moreau",
        "Novak", "Costa", "Ahmed", "Larsen", "Ortiz", "Cohen", "Singh", "Walsh", "Ito", "Reyes",
        "Fischer", "Dubois", "Ali", "Berg", "Kim", "Lopez", "Meyer", "Patel", "Quist", "Ruiz",
        "Sato", "Vega"]
# Endings that make 400 surnames of the 40 above: about six customers in 100,000 share a name.
ENDINGS = ["", "s", "er", "ley", "ton", "man", "berg", "field", "wood", "ford"]
CITIES = ["Portland", "Austin", "Denver", "Boston", "Seattle", "Chicago", "Atlanta", "Miami",
          "Phoenix", "Dallas", "Houston", "Detroit", "Memphis", "Nashville", "Tucson", "Fresno",
          "Omaha", "Raleigh", "Tampa", "Oakland"]


def main() -> None:
    n_customers, n_profiles, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    people = []
    profiles = {}  # (platform, handle) -> profile

    def add_profile(platform, handle, name, bio):
        if len(profiles) >= n_profiles or (platform, handle) in profiles:
            return False
        profiles[(platform, handle)] = {
            "platform": platform, "handle": handle, "display_name": name, "bio": bio,
            "followers": int(rng.lognormvariate(8.5, 1.4)), "following": rng.randint(50, 1500),
            "posts_count": rng.randint(5, 900), "fetched_at": "2026-11-01T00:00:00Z",
        }
        return True

    for i in range(1, n_customers + 1):
        first, city = rng.choice(FIRST), rng.choice(CITIES)
        last = rng.choice(LAST) + rng.choice(ENDINGS)
        handles = {}
        if rng.random() < 0.20:
            handles["instagram"] = f"{first}.{last}{i}".lower()
        if rng.random() < 0.08:
            handles["tiktok"] = f"{first}{last}_{i}".lower()
        people.append({
            "id": f"C{i:07d}", "source": "customer", "email": f"customer{i}@example.com",
            "first_name": first, "last_name": last, "city": city, "country": "US",
            "orders_count": rng.randint(0, 12), "total_spent": f"{rng.randint(0, 4000)}.00",
            "handles": handles,
        })

    # Declared profiles; a fifth of the Instagram ones point to a TikTok account.
    stranger_tiktoks = []
    for p in people:
        name = f"{p['first_name']} {p['last_name']}"
        for platform, handle in p["handles"].items():
            if rng.random() >= 0.9:
                continue
            bio = f"{rng.choice(['coffee', 'trails', 'bikes', 'books'])} | {p['city']}"
            if platform == "instagram" and rng.random() < 0.2:
                tiktok = f"{handle.replace('.', '_')}_tt"
                stranger_tiktoks.append((tiktok, name))
                bio += f" | more on tiktok.com/@{tiktok}"
            add_profile(platform, handle, name, bio)
    for tiktok, name in stranger_tiktoks:
        add_profile("tiktok", tiktok, name, "clips")

    # The rest: emails in bios, name and city, strangers.
    k = 0
    while len(profiles) < n_profiles:
        k += 1
        roll = rng.random()
        platform = rng.choice(["instagram", "instagram", "tiktok", "youtube", "x"])
        if roll < 0.1:
            p = rng.choice(people)
            add_profile(platform, f"creator{k}", "", f"collabs: {p['email']}")
        elif roll < 0.2:
            p = rng.choice(people)
            name = f"{p['first_name']} {p['last_name']}"
            add_profile(platform, f"{p['first_name']}{p['last_name']}{k}".lower(), name,
                        f"{p['city']} based, weekend hikes")
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.choice(ENDINGS)}"
            add_profile(platform, f"user{k}", name, rng.choice(["", "just vibes", "dog mom"]))

    with open(f"{out}/customers.ndjson", "w") as f:
        for p in people:
            f.write(json.dumps(p) + "\n")
    with open(f"{out}/profiles.ndjson", "w") as f:
        for p in profiles.values():
            f.write(json.dumps(p) + "\n")


if __name__ == "__main__":
    main()
