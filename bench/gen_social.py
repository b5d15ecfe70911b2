#!/usr/bin/env python3
"""Canonical profiles and posts NDJSON for the scoring benchmark, deterministic by seed.

Usage: bench/gen_social.py PROFILES POSTS OUT_DIR [SEED]

Writes OUT_DIR/profiles.ndjson (PROFILES lines) and OUT_DIR/posts.ndjson (POSTS lines,
spread over the profiles, interleaved rather than grouped, the way an API crawl that
pages through several accounts at once would write them) plus OUT_DIR/brand.toml.
Follower counts are log-normal around the micro band; captions carry category hashtags,
about 3 % mention the brand, comments_sample holds a mix of specific and generic comments.
"""

import json
import math
import random
import sys
from datetime import datetime, timedelta, timezone

BRAND = """name = "Ridgeline Coffee Co."
currency = "USD"
hashtags = ["#ridgelinecoffee", "#brewedoutside"]
keywords = ["Ridgeline Coffee", "Summit Blend", "Trailhead Cold Brew"]
competitors = ["Peakside Roasters", "Canyon Bean Co."]
target_categories = ["food & drink", "outdoors", "wellness", "travel"]
allowed_redirect_domains = ["ridgelinecoffee.example"]

[handles]
instagram = "@ridgelinecoffee"
tiktok = "@ridgelinecoffee"
"""

TOPICS = {
    "food": (["#plantbasedrecipes", "#coffeetime", "#brunchgoals", "#homebaking"],
             ["Sunday pancakes, extra syrup", "New recipe test: oat latte at home",
              "Farmers market haul for the week"]),
    "outdoors": (["#hiking", "#trailrunning", "#optoutside", "#campingvibes"],
                 ["Three days on the trail and zero regrets", "Sunrise from the saddle",
                  "Packed the stove and the tent for a night out"]),
    "fitness": (["#workout", "#gymlife", "#crossfit", "#legday"],
                ["Deadlift PR today", "Morning cardio before work", "Rest day, stretching"]),
    "beauty": (["#skincare", "#makeuptutorial", "#glowingskin"],
               ["My five minute routine", "Trying the new serum", "Bold lip for Friday"]),
    "pets": (["#dogsofinstagram", "#rescuedog", "#catsofinstagram"],
             ["The cat has claimed the blanket", "Puppy training update", "Walkies in the rain"]),
    "travel": (["#wanderlust", "#travelgram", "#roadtrip"],
               ["Packing for Lisbon", "Window seat views", "Lost in the old town"]),
}
BRAND_LINES = [
    "finally tried Ridgeline Coffee and wow, Summit Blend is my new favorite #ridgelinecoffee",
    "Trailhead Cold Brew + sunrise = perfect morning, thank you @ridgelinecoffee",
    "not impressed with @ridgelinecoffee this time, the bag arrived stale",
    "camp mornings with #ridgelinecoffee are the best part of the trip",
]
COMMENTS = ["love this!", "where is this?", "so good 😍", "nice", "🔥🔥🔥", "great post",
            "recipe please?", "miss you!", "what lens is that?", "follow me back"]
KINDS = {"instagram": ["image", "carousel", "reel"], "tiktok": ["video"]}


def main():
    n_profiles, n_posts, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 42)
    fetched = datetime(2026, 11, 1, 12, tzinfo=timezone.utc)
    with open(f"{out}/brand.toml", "w") as f:
        f.write(BRAND)

    profiles = []
    with open(f"{out}/profiles.ndjson", "w") as f:
        for i in range(n_profiles):
            platform = "instagram" if rng.random() < 0.7 else "tiktok"
            followers = int(math.exp(rng.gauss(8.6, 1.6)))
            topic = rng.choice(list(TOPICS))
            handle = f"creator{i:07d}"
            # Engagement falls with audience size; a few bought audiences engage little.
            er = 0.12 * followers ** -0.2 * rng.uniform(0.5, 1.5)
            if rng.random() < 0.05:
                er /= 20
            profiles.append((platform, handle, followers, topic, er))
            f.write(json.dumps({
                "platform": platform, "handle": handle, "user_id": str(10**9 + i),
                "display_name": f"Creator {i}", "bio": f"{topic} lover | {rng.choice(TOPICS[topic][0])}",
                "followers": followers, "following": int(followers * rng.uniform(0.1, 1.2)) + 50,
                "posts_count": rng.randint(20, 900), "is_verified": False, "is_private": False,
                "has_profile_pic": True, "fetched_at": "2026-11-01T12:00:00Z",
                "follower_history": [
                    {"date": f"2026-{m:02d}-01", "followers": int(followers * (0.9 + 0.01 * m))}
                    for m in range(5, 12)
                ],
            }, ensure_ascii=False) + "\n")

    # Each profile gets its share of posts; lines are written round-robin over a window
    # of profiles, so no profile's posts are contiguous.
    per = [n_posts // n_profiles + (1 if i < n_posts % n_profiles else 0) for i in range(n_profiles)]
    window = 64
    with open(f"{out}/posts.ndjson", "w") as f:
        for start in range(0, n_profiles, window):
            members = list(range(start, min(start + window, n_profiles)))
            for k in range(max(per[i] for i in members)):
                lines = []
                for i in members:
                    if k >= per[i]:
                        continue
                    platform, handle, followers, topic, er = profiles[i]
                    tags, texts = TOPICS[topic]
                    if rng.random() < 0.03:
                        caption = rng.choice(BRAND_LINES)
                    else:
                        caption = f"{rng.choice(texts)} {' '.join(rng.sample(tags, 2))}"
                    interactions = max(0, int(followers * er * rng.uniform(0.6, 1.4)))
                    comments = interactions // rng.randint(15, 60)
                    posted = fetched - timedelta(days=k * 7 + rng.uniform(0, 6))
                    video = platform == "tiktok"
                    lines.append(json.dumps({
                        "platform": platform, "handle": handle, "post_id": f"{handle}-{k}",
                        "posted_at": posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "kind": rng.choice(KINDS[platform]), "caption": caption,
                        "likes": interactions - comments, "comments": comments,
                        "shares": interactions // 40 if video else None, "saves": None,
                        "views": interactions * rng.randint(8, 20) if video else None,
                        "is_sponsored": False,
                        "comments_sample": rng.sample(COMMENTS, min(3, comments)),
                    }, ensure_ascii=False))
                f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
