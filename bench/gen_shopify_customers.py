#!/usr/bin/env python3
"""Writes a Shopify customer export (current header) of N customers to OUT.

Deterministic, with the export's quirks: a byte-order mark, CRLF, ids/phones/zips
prefixed with ', quoted commas, "yes"/"no", tags in one cell, every 10th customer
without an email. Usage: gen_shopify_customers.py N OUT
"""
import sys

HEADER = ("Customer ID,First Name,Last Name,Email,Accepts Email Marketing,"
          "Default Address Company,Default Address Address1,Default Address Address2,"
          "Default Address City,Default Address Province Code,Default Address Country Code,"
          "Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,"
          "Total Spent,Total Orders,Note,Tax Exempt,Tags")
FIRST = ["Ana", "Ben", "Chloé", "Dev", "Eun-ji", "Femi", "Gus", "Hana", "Ivan", "Jo"]
LAST = ["Díaz", "Okafor", "Nguyen", "Smith", "Kowalski", "Haddad", "Park", "Rossi"]
CITIES = [("Portland", "OR"), ("Austin", "TX"), ("Denver", "CO"), ("Boston", "MA")]


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + HEADER + "\r\n")
        for i in range(1, n + 1):
            first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
            city, region = CITIES[i % len(CITIES)]
            email = "" if i % 10 == 0 else f"customer{i}@example.com"
            spent = f"{(i * 37) % 5000}.{i % 100:02d}"
            if i % 3 == 0:
                spent = f'"{(i * 37) % 5000 + 1000:,}.{i % 100:02d}"'
            f.write(
                f"'{7000000000000 + i},{first},{last},{email},{'yes' if i % 2 else 'no'},"
                f"\"{last} & Co, LLC\",{i} Main St,,{city},{region},US,'0{2100 + i % 900},"
                f"'+1555{i:07d},,no,{spent},{i % 12},,no,\"vip, tier-{i % 3}\"\r\n"
            )


if __name__ == "__main__":
    main()
