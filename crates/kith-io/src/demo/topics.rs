//! What the demo's people post about: one entry per interest category, with caption
//! lines, hashtags, bio phrases, the comments friends leave, and words people put in
//! their handles.
//!
//! Category names are kith's taxonomy names, and the text uses the words that taxonomy
//! looks for, so scoring finds the interests the generator planted. One cohesive table;
//! the code that assembles it into posts is in `content.rs`.

#[derive(Debug)]
pub struct Topic {
    pub name: &'static str,
    /// How common the interest is among this brand's customers (relative). A coffee brand
    /// for outdoor people draws food & drink and outdoors fans first.
    pub weight: f64,
    pub hashtags: &'static [&'static str],
    pub lines: &'static [&'static str],
    pub bios: &'static [&'static str],
    pub comments: &'static [&'static str],
    pub handle_words: &'static [&'static str],
}

#[rustfmt::skip]
pub const TOPICS: &[Topic] = &[
    Topic {
        name: "food & drink",
        weight: 24.0,
        hashtags: &["#coffeelover", "#pourover", "#homebarista", "#plantbasedrecipes",
            "#brunchtime", "#foodie", "#latteart", "#sundaybaking", "#coffeetime", "#eeeeeats"],
        lines: &["Sunday pour-over ritual, slow and quiet",
            "Made a big batch of plant-based chili for the week",
            "Tried latte art again. It is supposed to be a heart",
            "Brunch at home: sourdough, jammy eggs and way too much coffee",
            "Sourdough starter is finally alive after three tries",
            "Cold brew concentrate for the whole week, recipe in stories",
            "This lemon olive oil cake recipe is a keeper",
            "Dialing in espresso on the new grinder, 18g in, 36g out",
            "Farmers market haul turned into the best veggie tacos",
            "Oat milk cortado and a cinnamon roll, breakfast of champions"],
        bios: &["home barista", "plant-based recipes", "coffee first", "sourdough nerd",
            "brunch enthusiast", "cooking for a crowd"],
        comments: &["recipe please!!", "that crumb though 😍", "what grinder is that?",
            "need this for breakfast", "saving this recipe", "how long did you steep it?",
            "coming over for brunch", "that latte art is getting good"],
        handle_words: &["eats", "brews", "bakes", "kitchen", "cooks"],
    },
    Topic {
        name: "outdoors",
        weight: 20.0,
        hashtags: &["#hiking", "#trailrunning", "#optoutside", "#campingvibes", "#mountainlife",
            "#backpacking", "#hikingadventures", "#naturelovers", "#getoutside", "#14ers"],
        lines: &["Sunrise from the saddle, worth the 4am alarm",
            "Three days on the trail and zero regrets",
            "Found the quiet side of the lake this weekend",
            "Camp coffee tastes better at 11,000 feet",
            "First summit of the season and my legs are toast",
            "Car camping with the crew, stars were unreal",
            "Trail running the foothills before work", "Hiking in the rain still counts as hiking",
            "Packed the stove, the tent and the good beans for a night out",
            "Climbing day at the crag, fingers are wrecked"],
        bios: &["hiking every weekend", "trail runner", "camping when I can",
            "chasing mountain sunrises", "14ers: 31/58", "outdoor adventures"],
        comments: &["which trail is this?", "adding this hike to my list", "that view!!",
            "how was the snow up there?", "take me camping", "that campsite is unreal",
            "how many miles was that?"],
        handle_words: &["outside", "hikes", "trails", "wanders", "camps"],
    },
    Topic {
        name: "wellness",
        weight: 9.0,
        hashtags: &["#wellness", "#selfcare", "#morningroutine", "#yogaeveryday", "#mindfulness",
            "#meditation", "#slowliving", "#mentalhealthmatters"],
        lines: &["Morning routine: stretch, journal, coffee, in that order",
            "Ten minutes of meditation before the inbox wins",
            "Yoga on the porch while the sun comes up",
            "Taking a slow weekend on purpose, selfcare is not lazy",
            "Screen-free evening, early sleep, big difference",
            "Breathwork class today and I feel brand new",
            "Reminder to drink water and go outside"],
        bios: &["yoga teacher", "mindful mornings", "slow living", "wellness coach", "breathwork",
            "self care advocate"],
        comments: &["needed this reminder", "what journal is that?", "love this routine",
            "which yoga flow was this?", "so calming", "adding this to my mornings"],
        handle_words: &["yoga", "wellness", "breathes", "calm"],
    },
    Topic {
        name: "travel",
        weight: 9.0,
        hashtags: &["#travelgram", "#wanderlust", "#roadtrip", "#passportready", "#vanlife",
            "#travelphotography", "#exploremore", "#weekendgetaway"],
        lines: &["Day four of the roadtrip, the van is still running",
            "Exploring a new city one coffee shop at a time",
            "Window seat, good playlist, no plans for a week", "Packed light for once, travel win",
            "Sunset over the harbour on our last night",
            "Hotel breakfast with a view like this should be illegal",
            "Passport stamp number twelve this year",
            "Weekend getaway to the coast, back to reality Monday"],
        bios: &["travel addict", "37 countries", "roadtrip queen", "vanlife part time",
            "exploring slowly", "carry-on only"],
        comments: &["where is this?!", "adding to my travel list", "how long is the drive?",
            "take me with you", "which hotel is this?", "jealous!!"],
        handle_words: &["travels", "roams", "abroad", "wanders"],
    },
    Topic {
        name: "fitness",
        weight: 7.0,
        hashtags: &["#fitness", "#gymlife", "#workoutmotivation", "#strengthtraining", "#hiit",
            "#fitfam", "#legday", "#pilates"],
        lines: &["Leg day done, stairs are now my enemy", "New deadlift PR, slow and steady",
            "5am workout club, coffee after", "Pilates reformer class kicked my butt today",
            "Twelve weeks of strength training, progress pics in stories",
            "HIIT in the park because the gym was packed",
            "Rest day means mobility work and a big breakfast"],
        bios: &["strength coach", "gym rat", "pilates instructor", "lifting heavy things",
            "fitness for busy people"],
        comments: &["beast mode 💪", "what program are you running?", "form looks great",
            "that PR!!", "how many sets?", "inspired to hit the gym"],
        handle_words: &["lifts", "fit", "trains", "strong"],
    },
    Topic {
        name: "sports",
        weight: 6.0,
        hashtags: &["#running", "#marathontraining", "#cycling", "#surfing", "#skateboarding",
            "#runnersofinstagram", "#gravelbike", "#pickleball"],
        lines: &["Marathon training week 9, long run done",
            "Gravel ride through the canyon, 60 miles of dust",
            "Dawn patrol surf session, glassy and empty", "Tennis with dad, he still wins",
            "Cycling club ride with a coffee stop, the right way",
            "Pickleball league finals tonight, wish us luck",
            "Easy recovery running with the run club"],
        bios: &["marathoner", "gravel cyclist", "surf when it's good", "run club captain",
            "weekend athlete"],
        comments: &["what pace was that?", "good luck at the race!", "those legs!",
            "which bike is that?", "killer session", "see you at run club"],
        handle_words: &["runs", "rides", "surfs", "races"],
    },
    Topic {
        name: "family",
        weight: 6.0,
        hashtags: &["#momlife", "#dadlife", "#familytime", "#toddlerlife", "#parenting",
            "#kidsactivities", "#motherhood"],
        lines: &["Family hike with a toddler means 2 miles in 3 hours",
            "Pancake Saturday is non-negotiable in this house",
            "Parenting is mostly snacks and laundry",
            "First camping trip with the kids, everyone survived",
            "Coffee is how this mom makes it to bedtime", "Dad joke count today: too many"],
        bios: &["mom of two", "girl dad", "parenting out loud", "family adventures",
            "raising little hikers"],
        comments: &["they are getting so big!", "the cutest family", "miss you guys",
            "this is so sweet", "those kids are adorable"],
        handle_words: &["mama", "dadlife", "family", "crew"],
    },
    Topic {
        name: "pets",
        weight: 5.0,
        hashtags: &["#dogsofinstagram", "#adoptdontshop", "#catsofinstagram", "#trailpup",
            "#rescuedog", "#puppylove"],
        lines: &["This dog has more hiking miles than I do",
            "Rescue pup one year anniversary today", "The cat has claimed the new blanket",
            "Puppy training update: sit is solid, stay is a lie",
            "Trail dog in her natural habitat", "Morning walks with this goofball"],
        bios: &["dog mom", "rescue dog dad", "two cats, no regrets", "pet photographer",
            "trail pup adventures"],
        comments: &["what a good dog 🐶", "that face!!", "give her scratches from me",
            "what breed is he?", "best boy", "so fluffy"],
        handle_words: &["andthedog", "dogmom", "pets", "pup"],
    },
    Topic {
        name: "home",
        weight: 4.0,
        hashtags: &["#homedecor", "#diyproject", "#plantsofinstagram", "#cozyhome", "#gardenlife",
            "#renovation"],
        lines: &["Kitchen renovation update: cabinets are in",
            "DIY coffee bar corner, finally done", "Garden is exploding with tomatoes",
            "Cozy reading nook for the winter", "Plants took over the living room and I let them",
            "Thrifted this chair and reupholstered it myself"],
        bios: &["DIY everything", "plant parent", "renovating a 1920s bungalow", "cozy home",
            "garden life"],
        comments: &["where is that lamp from?", "goals!!", "love the color", "so cozy",
            "tutorial please", "your plants are thriving"],
        handle_words: &["home", "nest", "makes", "diy"],
    },
    Topic {
        name: "fashion",
        weight: 3.0,
        hashtags: &["#ootd", "#thriftfinds", "#streetstyle", "#vintagestyle", "#outfitinspo"],
        lines: &["Outfit of the day: flannel season is back",
            "Thrift haul, all vintage, all under $40", "Denim on denim and I regret nothing",
            "Fall wardrobe refresh with three new pieces", "Sneaker rotation this week"],
        bios: &["thrift lover", "vintage style", "outfit ideas", "sustainable fashion",
            "sneakerhead"],
        comments: &["where is the jacket from?", "obsessed with this outfit", "those boots!!",
            "style icon", "need that sweater"],
        handle_words: &["style", "wears", "thrifts"],
    },
    Topic {
        name: "beauty",
        weight: 3.0,
        hashtags: &["#skincare", "#makeuplook", "#beautyroutine", "#glowingskin", "#cleanbeauty"],
        lines: &["Morning skincare routine, five steps, no more",
            "Trying a softer makeup look for fall",
            "Glow check after a week of sunscreen every day",
            "Clean beauty swaps that actually work", "Lip combo of the week"],
        bios: &["skincare nerd", "makeup artist", "clean beauty", "glow getter"],
        comments: &["your skin is glowing", "what serum is that?", "shade name?",
            "tutorial please!", "so pretty"],
        handle_words: &["beauty", "glow", "skin"],
    },
    Topic {
        name: "art & design",
        weight: 3.0,
        hashtags: &["#illustration", "#watercolor", "#ceramics", "#sketchbook", "#filmphotography",
            "#artistsoninstagram"],
        lines: &["New watercolor from the trip, painting outside is hard",
            "Sketchbook pages from this week", "Fresh out of the kiln, ceramic mugs round two",
            "Film photography roll from the mountains", "Design sprint for a friend's cafe logo"],
        bios: &["illustrator", "ceramic artist", "film photography", "graphic designer",
            "sketching daily"],
        comments: &["this is beautiful work", "are prints available?", "love the colors",
            "the glaze on that mug!", "what film stock?"],
        handle_words: &["draws", "paints", "studio", "makes"],
    },
    Topic {
        name: "music",
        weight: 3.0,
        hashtags: &["#guitar", "#vinylcollection", "#livemusic", "#singersongwriter", "#newmusic"],
        lines: &["Vinyl and coffee, the only Sunday plan",
            "Playing a small show Friday, come say hi", "Working on a new song, here's a bit of it",
            "Concert last night was everything",
            "Guitar practice before work, slowly getting there"],
        bios: &["singer-songwriter", "vinyl collector", "guitar and coffee", "music producer"],
        comments: &["what a voice", "when is the next show?", "this record!!", "need the full song",
            "what guitar is that?"],
        handle_words: &["music", "sings", "plays"],
    },
    Topic {
        name: "tech & gaming",
        weight: 3.0,
        hashtags: &["#gamingsetup", "#pcbuild", "#developerlife", "#techtok", "#indiegame"],
        lines: &["New desk setup, coffee station included",
            "PC build done, cable management took longer than the build",
            "Shipping a side project this weekend, developer life",
            "Late night gaming session with the squad", "Trying every gadget so you don't have to"],
        bios: &["software developer", "gamer", "building things", "gadget reviews",
            "streams on weekends"],
        comments: &["specs?", "clean setup", "what keyboard is that?", "gg",
            "need that monitor arm"],
        handle_words: &["codes", "plays", "tech", "builds"],
    },
    Topic {
        name: "business",
        weight: 3.0,
        hashtags: &["#smallbusiness", "#entrepreneur", "#founderlife", "#workfromanywhere",
            "#marketingtips"],
        lines: &["Small business owner life: coffee, invoices, repeat",
            "Three years since I started this business", "Founder lesson of the week: hire slower",
            "Working from a cafe today, new office", "Marketing tip: talk to your customers"],
        bios: &["small business owner", "founder", "marketing consultant", "entrepreneur"],
        comments: &["congrats on three years!", "so true", "great advice", "proud of you",
            "needed this today"],
        handle_words: &["builds", "ventures", "works"],
    },
    Topic {
        name: "books",
        weight: 2.0,
        hashtags: &["#bookstagram", "#currentlyreading", "#booklover", "#bookclub"],
        lines: &["Currently reading by the fire", "Book club pick this month was a great novel",
            "Library haul, too many books again", "Reading list for the long weekend"],
        bios: &["reading 50 books a year", "book club host", "bookworm"],
        comments: &["how is it so far?", "adding to my list", "loved that book", "no spoilers!"],
        handle_words: &["reads", "books", "pages"],
    },
];

/// Friends' comments that fit any post: specific enough to be human.
#[rustfmt::skip]
pub const FRIEND_COMMENTS: &[&str] = &[
    "miss you!!", "so proud of you", "this is everything", "need this in my life", "haha yes",
    "we need to do this again", "you look so happy", "ok this is the best one yet",
    "wish I was there", "call me later!", "how was it??", "next time I'm coming",
];

/// Stock phrases and emoji that engagement pods, bought engagement and bots leave, and
/// that real friends leave too, now and then.
#[rustfmt::skip]
pub const GENERIC_COMMENTS: &[&str] = &[
    "Nice pic!! 🔥", "great post", "Love it 😍", "🔥🔥🔥", "😍😍", "amazing", "wow", "so cute",
    "great content", "👏👏👏", "💯💯", "Awesome!", "lovely ❤️", "Super 🙌", "nice", "beautiful", "❤️❤️❤️",
    "perfect", "gorgeous 😍", "cool",
];

/// What spam accounts write.
#[rustfmt::skip]
pub const BOT_COMMENTS: &[&str] = &[
    "follow me", "check my page", "dm me 💰", "nice post", "great content", "🔥🔥",
    "Promote it on @shoutout_hub_", "wow", "DM for collab 📩",
];

/// Partners in paid posts (fictional), so sponsored content is not all about the brand.
#[rustfmt::skip]
pub const PARTNERS: &[&str] = &[
    "@northpeakgear", "@oatcloudmilk", "@trailfuelbars", "@glowfarmskin", "@summitsocks",
    "@baselayerco", "@wildpawtreats",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_is_a_kith_category_with_text_for_each_slot() {
        let names: Vec<&str> = kith_core_taxonomy();
        for t in TOPICS {
            assert!(
                names.contains(&t.name),
                "{} is not a taxonomy category",
                t.name
            );
            assert!(!t.hashtags.is_empty() && !t.lines.is_empty() && !t.bios.is_empty());
            assert!(!t.comments.is_empty() && !t.handle_words.is_empty());
        }
    }

    /// The taxonomy names as kith-core spells them (kept here so this test needs nothing
    /// beyond kith-core's public contract: the category names in DESIGN.md).
    fn kith_core_taxonomy() -> Vec<&'static str> {
        vec![
            "beauty",
            "fashion",
            "fitness",
            "food & drink",
            "travel",
            "outdoors",
            "family",
            "pets",
            "home",
            "tech & gaming",
            "music",
            "art & design",
            "sports",
            "wellness",
            "business",
            "books",
        ]
    }

    #[test]
    fn topic_text_never_names_the_brand() {
        let brand = super::super::brand::PRODUCTS;
        for t in TOPICS {
            for line in t
                .lines
                .iter()
                .chain(t.hashtags)
                .chain(t.bios)
                .chain(t.comments)
            {
                let lower = line.to_lowercase();
                assert!(!lower.contains("ridgeline"), "{line}");
                for p in brand {
                    assert!(!lower.contains(&p.name.to_lowercase()), "{line}");
                }
            }
        }
    }
}
