"""The raw material of the demo network: cities, names, companies, interests.

Coordinates are city centres (GeoNames); companies are invented but plausible.
"""

from __future__ import annotations

from typing import NamedTuple


class DemoCity(NamedTuple):
    name: str
    admin1: str
    country: str  # display name
    country_code: str
    lat: float
    lon: float
    timezone: str
    names: str  # key into NAME_POOLS
    streets: tuple[str, ...]


CITIES: tuple[DemoCity, ...] = (
    DemoCity(
        "Lisbon",
        "Lisbon",
        "Portugal",
        "PT",
        38.7167,
        -9.1333,
        "Europe/Lisbon",
        "iberian",
        ("Rua Augusta", "Rua da Prata", "Avenida da Liberdade"),
    ),
    DemoCity(
        "Berlin",
        "Berlin",
        "Germany",
        "DE",
        52.5244,
        13.4105,
        "Europe/Berlin",
        "german",
        ("Torstraße", "Oranienstraße", "Kastanienallee"),
    ),
    DemoCity(
        "London",
        "England",
        "United Kingdom",
        "GB",
        51.5085,
        -0.1257,
        "Europe/London",
        "british",
        ("Exmouth Market", "Shoreditch High Street", "Marylebone Lane"),
    ),
    DemoCity(
        "Paris",
        "Île-de-France",
        "France",
        "FR",
        48.8534,
        2.3488,
        "Europe/Paris",
        "french",
        ("Rue de Bretagne", "Rue Oberkampf", "Rue des Martyrs"),
    ),
    DemoCity(
        "Munich",
        "Bavaria",
        "Germany",
        "DE",
        48.1374,
        11.5755,
        "Europe/Berlin",
        "german",
        ("Gärtnerplatz", "Leopoldstraße", "Sendlinger Straße"),
    ),
    DemoCity(
        "Stockholm",
        "Stockholm",
        "Sweden",
        "SE",
        59.3326,
        18.0649,
        "Europe/Stockholm",
        "nordic",
        ("Götgatan", "Drottninggatan", "Hornsgatan"),
    ),
    DemoCity(
        "Warsaw",
        "Mazovia",
        "Poland",
        "PL",
        52.2298,
        21.0118,
        "Europe/Warsaw",
        "slavic",
        ("Nowy Świat", "Chmielna", "Mokotowska"),
    ),
    DemoCity(
        "New York",
        "New York",
        "United States",
        "US",
        40.7143,
        -74.006,
        "America/New_York",
        "american",
        ("Bleecker Street", "Bedford Avenue", "Spring Street"),
    ),
    DemoCity(
        "San Francisco",
        "California",
        "United States",
        "US",
        37.7749,
        -122.4194,
        "America/Los_Angeles",
        "american",
        ("Valencia Street", "Hayes Street", "Market Street"),
    ),
    DemoCity(
        "Seattle",
        "Washington",
        "United States",
        "US",
        47.6062,
        -122.3321,
        "America/Los_Angeles",
        "american",
        ("Pike Street", "Pine Street", "Broadway"),
    ),
    DemoCity(
        "Toronto",
        "Ontario",
        "Canada",
        "CA",
        43.7001,
        -79.4163,
        "America/Toronto",
        "american",
        ("Queen Street West", "Ossington Avenue", "King Street East"),
    ),
    DemoCity(
        "Mexico City",
        "Mexico City",
        "Mexico",
        "MX",
        19.4285,
        -99.1277,
        "America/Mexico_City",
        "latin",
        ("Avenida Álvaro Obregón", "Calle Orizaba", "Avenida Amsterdam"),
    ),
    DemoCity(
        "São Paulo",
        "São Paulo",
        "Brazil",
        "BR",
        -23.5475,
        -46.6361,
        "America/Sao_Paulo",
        "brazilian",
        ("Rua Oscar Freire", "Avenida Paulista", "Rua Augusta"),
    ),
    DemoCity(
        "Buenos Aires",
        "Buenos Aires F.D.",
        "Argentina",
        "AR",
        -34.6132,
        -58.3772,
        "America/Argentina/Buenos_Aires",
        "latin",
        ("Calle Honduras", "Avenida Corrientes", "Calle Defensa"),
    ),
    DemoCity(
        "Bogotá",
        "Bogota D.C.",
        "Colombia",
        "CO",
        4.6097,
        -74.0817,
        "America/Bogota",
        "latin",
        ("Carrera 7", "Calle 85", "Carrera 13"),
    ),
    DemoCity(
        "Lagos",
        "Lagos",
        "Nigeria",
        "NG",
        6.4541,
        3.3947,
        "Africa/Lagos",
        "west_african",
        ("Admiralty Way", "Awolowo Road", "Adeola Odeku Street"),
    ),
    DemoCity(
        "Nairobi",
        "Nairobi County",
        "Kenya",
        "KE",
        -1.2833,
        36.8167,
        "Africa/Nairobi",
        "east_african",
        ("Kenyatta Avenue", "Ngong Road", "Muthithi Road"),
    ),
    DemoCity(
        "Cape Town",
        "Western Cape",
        "South Africa",
        "ZA",
        -33.9258,
        18.4232,
        "Africa/Johannesburg",
        "south_african",
        ("Bree Street", "Kloof Street", "Long Street"),
    ),
    DemoCity(
        "Cairo",
        "Cairo",
        "Egypt",
        "EG",
        30.0626,
        31.2497,
        "Africa/Cairo",
        "arabic",
        ("Talaat Harb Street", "26th of July Street", "Road 9"),
    ),
    DemoCity(
        "Dubai",
        "Dubai",
        "United Arab Emirates",
        "AE",
        25.0772,
        55.3093,
        "Asia/Dubai",
        "arabic",
        ("Jumeirah Beach Road", "Al Wasl Road", "Sheikh Zayed Road"),
    ),
    DemoCity(
        "Bengaluru",
        "Karnataka",
        "India",
        "IN",
        12.9719,
        77.5937,
        "Asia/Kolkata",
        "indian",
        ("100 Feet Road", "Church Street", "MG Road"),
    ),
    DemoCity(
        "Singapore",
        "Singapore",
        "Singapore",
        "SG",
        1.2897,
        103.8501,
        "Asia/Singapore",
        "southeast_asian",
        ("Amoy Street", "Tiong Bahru Road", "Duxton Road"),
    ),
    DemoCity(
        "Tokyo",
        "Tokyo",
        "Japan",
        "JP",
        35.6895,
        139.6917,
        "Asia/Tokyo",
        "japanese",
        ("Omotesando", "Nakameguro", "Jingumae"),
    ),
    DemoCity(
        "Seoul",
        "Seoul",
        "South Korea",
        "KR",
        37.566,
        126.9784,
        "Asia/Seoul",
        "korean",
        ("Garosu-gil", "Yeonnam-ro", "Itaewon-ro"),
    ),
    DemoCity(
        "Sydney",
        "New South Wales",
        "Australia",
        "AU",
        -33.8679,
        151.2073,
        "Australia/Sydney",
        "australian",
        ("Crown Street", "King Street", "Darlinghurst Road"),
    ),
    DemoCity(
        "Auckland",
        "Auckland",
        "New Zealand",
        "NZ",
        -36.8485,
        174.7633,
        "Pacific/Auckland",
        "australian",
        ("Ponsonby Road", "K Road", "High Street"),
    ),
)

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "iberian": (
        ("Ana", "João", "Inês", "Tiago", "Beatriz", "Miguel", "Marta", "Rui"),
        ("Silva", "Costa", "Ferreira", "Santos", "Oliveira", "Pereira", "Almeida"),
    ),
    "german": (
        ("Lena", "Jonas", "Sophie", "Lukas", "Hannah", "Felix", "Miriam", "Tobias"),
        ("Müller", "Schmidt", "Becker", "Wagner", "Hoffmann", "Krüger", "Vogel"),
    ),
    "british": (
        ("Olivia", "Harry", "Amelia", "George", "Priya", "Callum", "Fiona", "Tom"),
        ("Taylor", "Evans", "Patel", "Walsh", "Hughes", "Okafor", "Brennan"),
    ),
    "french": (
        ("Camille", "Louis", "Chloé", "Hugo", "Manon", "Théo", "Léa", "Karim"),
        ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Benali", "Girard"),
    ),
    "nordic": (
        ("Elsa", "Oskar", "Maja", "Erik", "Astrid", "Nils", "Freja", "Linnea"),
        ("Lindqvist", "Andersson", "Nyström", "Berg", "Holm", "Sandberg", "Ekström"),
    ),
    "slavic": (
        ("Zofia", "Jakub", "Aleksandra", "Piotr", "Katarzyna", "Tomasz", "Natalia"),
        ("Nowak", "Kowalska", "Wiśniewski", "Zielińska", "Lewandowski", "Kamińska"),
    ),
    "american": (
        ("Emily", "Marcus", "Jessica", "Daniel", "Aisha", "Kevin", "Rachel", "Carlos"),
        ("Johnson", "Nguyen", "Williams", "Rodriguez", "Kim", "Brooks", "Goldberg"),
    ),
    "latin": (
        ("Valentina", "Mateo", "Camila", "Santiago", "Lucía", "Diego", "Gabriela"),
        ("García", "Hernández", "López", "Martínez", "Ramírez", "Torres", "Castro"),
    ),
    "brazilian": (
        ("Larissa", "Gabriel", "Fernanda", "Rafael", "Juliana", "Bruno", "Letícia"),
        ("Souza", "Lima", "Carvalho", "Ribeiro", "Gomes", "Barbosa", "Rocha"),
    ),
    "west_african": (
        ("Chiamaka", "Tunde", "Ngozi", "Emeka", "Funmilayo", "Kelechi", "Adaeze"),
        ("Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Adebayo", "Okafor"),
    ),
    "east_african": (
        ("Wanjiru", "Otieno", "Akinyi", "Kamau", "Njeri", "Mwangi", "Achieng"),
        ("Mutua", "Kariuki", "Odhiambo", "Wambui", "Kiprop", "Chebet", "Omondi"),
    ),
    "south_african": (
        ("Thandiwe", "Sipho", "Lerato", "Pieter", "Naledi", "Johan", "Zanele"),
        ("Dlamini", "van der Merwe", "Nkosi", "Botha", "Mokoena", "Naidoo"),
    ),
    "arabic": (
        ("Layla", "Omar", "Yasmin", "Karim", "Nour", "Tariq", "Salma", "Hassan"),
        ("Haddad", "Mansour", "El-Sayed", "Farouk", "Khalil", "Nasser", "Aziz"),
    ),
    "indian": (
        ("Ananya", "Arjun", "Priya", "Rohan", "Kavya", "Vikram", "Meera", "Aditya"),
        ("Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Rao"),
    ),
    "southeast_asian": (
        ("Wei Ling", "Jun Jie", "Siti", "Arif", "Mei", "Darren", "Nurul"),
        ("Tan", "Lim", "Ng", "Rahman", "Goh", "Chua", "Ismail"),
    ),
    "japanese": (
        ("Yuki", "Haruto", "Aoi", "Sota", "Mei", "Ren", "Sakura", "Kenji"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura"),
    ),
    "korean": (
        ("Ji-woo", "Min-jun", "Seo-yeon", "Do-hyun", "Ha-eun", "Ji-ho", "Soo-ah"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon"),
    ),
    "australian": (
        ("Chloe", "Liam", "Mia", "Jack", "Ruby", "Hamish", "Aroha", "Tane"),
        ("Smith", "Wilson", "Campbell", "Kelly", "Ngata", "Parata", "Murphy"),
    ),
}

# (company, industry, positions)
COMPANIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Lumen Payments", "Financial Services", ("Head of Partnerships", "Product Manager", "CFO")),
    ("Northwind Logistics", "Logistics", ("Operations Director", "Head of Supply Chain", "COO")),
    ("Brightloop Energy", "Renewables", ("Founder & CEO", "Grid Engineer", "Business Developer")),
    ("Atlas Health Labs", "Healthcare", ("Medical Director", "VP Product", "Data Scientist")),
    ("Kestrel Robotics", "Industrial Automation", ("CTO", "Robotics Engineer", "Sales Lead")),
    ("Helio Analytics", "Software", ("Engineering Manager", "Staff Engineer", "Head of Data")),
    ("Verde Foods", "Food & Beverage", ("Head of Sustainability", "Brand Manager", "Founder")),
    ("Harbor & Finch", "Consulting", ("Partner", "Senior Consultant", "Principal")),
    ("Cobalt Ventures", "Venture Capital", ("General Partner", "Associate", "Principal")),
    ("Tessellate Studio", "Design", ("Creative Director", "UX Lead", "Founder")),
    ("Meridian Insurance", "Insurance", ("Chief Risk Officer", "Underwriting Lead", "Actuary")),
    ("Quill Learning", "Education Technology", ("Head of Content", "CEO", "Learning Designer")),
    ("Orbital Freight", "Aerospace", ("Mission Planner", "VP Business Development", "Engineer")),
    ("Saffron Hospitality", "Hospitality", ("General Manager", "Head of Events", "Owner")),
    ("Ironbark Mining", "Mining", ("Geologist", "ESG Lead", "Country Manager")),
    ("Paperkite Media", "Media", ("Editor-in-Chief", "Producer", "Head of Growth")),
    ("Talent Bridge Recruiting", "Staffing & Recruiting", ("Senior Recruiter", "Talent Partner")),
    ("Nimbus Cloud", "Software", ("Solutions Architect", "Developer Advocate", "VP Engineering")),
    ("Riverstone Legal", "Law", ("Partner", "Associate", "Legal Counsel")),
    ("Calder Architecture", "Architecture", ("Principal Architect", "Urban Planner")),
)

TARGET_COMPANIES: tuple[str, ...] = ("Cobalt Ventures", "Nimbus Cloud", "Atlas Health Labs")

INTERESTS: tuple[str, ...] = (
    "climbing",
    "running",
    "jazz",
    "specialty coffee",
    "sailing",
    "photography",
    "chess",
    "cycling",
    "urban gardening",
    "board games",
    "football",
    "cooking",
    "yoga",
    "surfing",
    "science fiction",
    "hiking",
    "wine",
    "tennis",
    "open source",
    "public speaking",
)

PAST_ROLES: tuple[str, ...] = (
    "Analyst at a Big Four firm",
    "Engineer at a telecom operator",
    "Founder of a small agency",
    "Product manager at a bank",
    "Researcher at a university lab",
    "Consultant in strategy",
    "Sales at an enterprise software vendor",
    "Officer in a public agency",
)

CAFE_NAMES: tuple[str, ...] = (
    "Café Central",
    "The Roastery",
    "Kaffeehaus",
    "Little Bean",
    "Corner Espresso",
    "Blue Door Coffee",
    "Grind & Co.",
    "Morning Ritual",
    "Third Wave",
    "The Daily Cup",
)

DEBRIEF_FOOD: tuple[str, ...] = (
    "Both had a flat white; they loved the almond croissant.",
    "Espresso for me, a matcha latte for them; shared a slice of carrot cake.",
    "Filter coffee from Ethiopia; we both found it too acidic.",
    "Pastel de nata and bica; they insisted on paying.",
)
DEBRIEF_SERVICE: tuple[str, ...] = (
    "Quick and friendly.",
    "Slow at the counter but the barista knew them.",
    "Noisy at lunch; better before ten.",
    "Excellent, table by the window.",
)
DEBRIEF_WEATHER: tuple[str, ...] = (
    "Cold and sunny; they cycled in.",
    "Rain all morning, my train was late.",
    "Warm evening, we sat outside.",
    "Grey and windy; the metro was packed.",
)
DEBRIEF_COMMON: tuple[str, ...] = (
    "Both started careers in consulting.",
    "Both run before work.",
    "Same university, ten years apart.",
    "Both moved cities for a partner.",
)
DEBRIEF_DISLIKED: tuple[str, ...] = (
    "Open-plan offices.",
    "Conference networking dinners.",
    "Long email threads.",
    "Airport lounges.",
)
DEBRIEF_BUSINESS: tuple[str, ...] = (
    "Growing the team from 12 to 30 this year; new office opening.",
    "Moving from services to a product; first paying customers in Q2.",
    "Expanding into two new countries; hiring local leads.",
    "Spinning out a new unit focused on mid-sized companies.",
)
DEBRIEF_AMBITIONS: tuple[str, ...] = (
    "Wants to raise a Series A within 12 months.",
    "Aims to become CTO in two years.",
    "Would like to speak at a major conference.",
    "Plans to start their own fund.",
)
DEBRIEF_CHALLENGES: tuple[str, ...] = (
    "Hiring senior engineers is slow.",
    "Cash flow until the next round.",
    "Regulation in a new market.",
    "Balancing a newborn with travel.",
)
DEBRIEF_LEARNED: tuple[str, ...] = (
    "They decide on partnerships by trial projects, not pitches.",
    "Their board cares about unit economics above growth.",
    "They are looking for introductions to logistics companies.",
    "They mentor first-time founders on weekends.",
)
FOLLOW_UPS: tuple[str, ...] = (
    "Send the article on remote team rituals",
    "Introduce them to a logistics founder",
    "Share the deck from the conference",
    "Ask how the hiring went",
    "Send the book recommendation",
    "Invite to the meetup next month",
)

# Pending invitations, as LinkedIn's Invitations.csv has them. The demo user, to whom the
# incoming ones are addressed and from whom the sent ones come:
DEMO_USER = ("Sam Taylor", "https://www.linkedin.com/in/sam-taylor-demo")

# Messages from people who fit the demo's criteria ({me}: the user's first name).
INVITATION_FRIENDLY: tuple[str, ...] = (
    "Hi {me}, we met at the product meetup last week. Would love to stay in touch.",
    "Hello {me}, great talk on partnerships at the conference. Let's connect!",
    "Hi {me}, a colleague suggested we talk about logistics in Central Europe.",
    "Hi {me}, we were on the same panel in the spring. Happy to keep in touch.",
    "Hello {me}, I enjoyed your article on specialty coffee and remote teams.",
    "Hi {me}, we sat next to each other at the founders' breakfast.",
    "Hi {me}, I'm building a climate start-up and would value your view.",
    "Hello {me}, thanks for the intro at the investor evening.",
    "Hi {me}, fellow alumna here. Would be glad to connect.",
    "Hi {me}, we spoke briefly after the design sprint workshop.",
    "",  # LinkedIn's default invitation carries no message
)
# From people in staffing and recruiting, which the demo's criteria avoid.
INVITATION_RECRUITERS: tuple[str, ...] = (
    "Hi {me}, I'm a Senior Recruiter at Talent Bridge Recruiting with exciting roles for you.",
    "Hello {me}, as a technical recruiter I have a VP opportunity that matches your profile.",
    "Hi {me}, I work in staffing & recruiting and place leaders in fintech. Open to a chat?",
    "Dear {me}, our recruiter team is hiring for a confidential search in Berlin.",
    "Hi {me}, I lead a staffing & recruiting agency; let's talk about your next move.",
)
# From people far from the demo's Berlin home ({city}: theirs).
INVITATION_FAR: tuple[str, ...] = (
    "Greetings from {city}, {me}! I saw your talk online and would like to connect.",
    "Hi {me}, I run a small studio in {city}. Let's keep in touch across time zones.",
    "Hello {me}, I'm based in {city} and follow your work on partnerships.",
)
FAR_CITIES: tuple[str, ...] = (
    "Sydney", "Auckland", "São Paulo", "Buenos Aires", "Singapore", "Tokyo", "Seoul",
    "Mexico City", "Cape Town", "San Francisco",
)  # fmt: skip
# Sent by the user.
INVITATION_SENT: tuple[str, ...] = (
    "Hi {them}, great to meet you at the Lisbon summit. Let's stay in touch.",
    "Hello {them}, I'd love to hear more about your work on the grid.",
    "",
)
