// The three word lists a cat name is made of: Adjective + Colour + Breed, as in the article
// (`SublimeDandelionUkrainianLevkoy`). Each word is already in PascalCase, letters only, so a name
// is a URL path segment as it is. 80 × 120 × 60 = 576,000 names: collisions are rare but real,
// which is why the database's UNIQUE constraint decides, and the upload retries on one.

/** Adjectives for cute. */
export const adjectives: readonly string[] = [
  'Adorable', 'Affectionate', 'Agile', 'Amiable', 'Angelic', 'Beaming', 'Bouncy', 'Brave', 'Bubbly', 'Charming',
  'Cheeky', 'Cheerful', 'Chirpy', 'Chubby', 'Comfy', 'Cuddly', 'Curious', 'Cute', 'Dainty', 'Dapper',
  'Darling', 'Dazzling', 'Delightful', 'Dinky', 'Dreamy', 'Elegant', 'Enchanting', 'Fabulous', 'Fancy', 'Feisty',
  'Fluffy', 'Friendly', 'Frisky', 'Fuzzy', 'Gentle', 'Giggly', 'Glorious', 'Graceful', 'Happy', 'Huggable',
  'Jolly', 'Jubilant', 'Kind', 'Lovable', 'Lovely', 'Lucky', 'Magical', 'Majestic', 'Merry', 'Mischievous',
  'Nimble', 'Perky', 'Playful', 'Plucky', 'Plush', 'Precious', 'Pretty', 'Purring', 'Radiant', 'Rosy',
  'Silky', 'Sleepy', 'Smiley', 'Snuggly', 'Soft', 'Sparkly', 'Splendid', 'Sprightly', 'Squishy', 'Sublime',
  'Sunny', 'Sweet', 'Tender', 'Tiny', 'Twinkly', 'Velvety', 'Wee', 'Whimsical', 'Wiggly', 'Zippy',
];

/** Crayon colour names. */
export const colours: readonly string[] = [
  'Almond', 'Antique', 'Apricot', 'Aquamarine', 'Asparagus', 'Banana', 'Bittersweet', 'Blizzard', 'Blush', 'Brass',
  'BrickRed', 'Bronze', 'BurntOrange', 'BurntSienna', 'Canary', 'CaribbeanGreen', 'CarnationPink', 'Cerise', 'Cerulean', 'Chartreuse',
  'Chestnut', 'Copper', 'Cornflower', 'CottonCandy', 'Cranberry', 'Dandelion', 'Denim', 'DesertSand', 'Eggplant', 'ElectricLime',
  'Emerald', 'Fern', 'ForestGreen', 'Fuchsia', 'FuzzyWuzzy', 'Gold', 'Goldenrod', 'GrannySmithApple', 'Gray', 'Green',
  'HotMagenta', 'Inchworm', 'Indigo', 'Jade', 'JazzberryJam', 'JungleGreen', 'LaserLemon', 'Lavender', 'Lemon', 'LemonYellow',
  'Lilac', 'Lime', 'MacaroniAndCheese', 'Magenta', 'MagicMint', 'Mahogany', 'Maize', 'Manatee', 'MangoTango', 'Maroon',
  'Mauvelous', 'Melon', 'MidnightBlue', 'Mint', 'Mulberry', 'NavyBlue', 'NeonCarrot', 'OliveGreen', 'Orange', 'Orchid',
  'OuterSpace', 'OutrageousOrange', 'PacificBlue', 'Peach', 'Periwinkle', 'PiggyPink', 'PineGreen', 'PinkFlamingo', 'Plum', 'Poppy',
  'PurpleHeart', 'PurpleMountainsMajesty', 'RadicalRed', 'RawSienna', 'RazzleDazzleRose', 'Razzmatazz', 'Red', 'RobinsEggBlue', 'RoyalPurple', 'Ruby',
  'Salmon', 'Sapphire', 'ScreaminGreen', 'SeaGreen', 'Sepia', 'Shadow', 'Shamrock', 'ShockingPink', 'Silver', 'SkyBlue',
  'SpringGreen', 'Sunglow', 'SunsetOrange', 'Tan', 'Teal', 'Thistle', 'TickleMePink', 'Timberwolf', 'Tumbleweed', 'Turquoise',
  'Ultramarine', 'UnmellowYellow', 'Violet', 'VividTangerine', 'VividViolet', 'Wisteria', 'WildBlueYonder', 'WildStrawberry', 'Wisp', 'YellowOrange',
];

/** Cat breeds. */
export const breeds: readonly string[] = [
  'Abyssinian', 'AmericanBobtail', 'AmericanCurl', 'AmericanShorthair', 'AmericanWirehair', 'Balinese', 'Bengal', 'Birman', 'Bombay', 'BritishLonghair',
  'BritishShorthair', 'Burmese', 'Burmilla', 'CaliforniaSpangled', 'Chartreux', 'Chausie', 'ColorpointShorthair', 'CornishRex', 'Cymric', 'DevonRex',
  'DonskoySphynx', 'EgyptianMau', 'EuropeanShorthair', 'ExoticShorthair', 'HavanaBrown', 'Himalayan', 'JapaneseBobtail', 'Javanese', 'Khaomanee', 'Korat',
  'KurilianBobtail', 'LaPerm', 'Lykoi', 'MaineCoon', 'Manx', 'Minskin', 'Munchkin', 'Nebelung', 'NorwegianForestCat', 'Ocicat',
  'OjosAzules', 'OrientalLonghair', 'OrientalShorthair', 'Persian', 'Peterbald', 'PixieBob', 'Ragamuffin', 'Ragdoll', 'RussianBlue', 'Savannah',
  'ScottishFold', 'SelkirkRex', 'Siamese', 'Siberian', 'Singapura', 'Snowshoe', 'Somali', 'Sphynx', 'TurkishAngora', 'UkrainianLevkoy',
];
