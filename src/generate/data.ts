/**
 * Word lists for generated repositories: an Italian B2B flavour. The
 * fictional company ("Officine Digitali Srl", a software and IT services
 * firm in Bologna) sells integration projects, managed services and support
 * contracts to Italian small and medium businesses. All domains use the
 * reserved `.example` TLD so that no generated address can reach anyone.
 */

export const COMPANY = {
  name: 'Officine Digitali Srl',
  domain: 'officinedigitali.example',
};

export interface UserSeed {
  handle: string;
  name: string;
  role: 'sales' | 'support' | 'marketing';
}

/** The users of the small repositories (4–5 people). */
export const CORE_USERS: readonly UserSeed[] = [
  { handle: 'giulia', name: 'Giulia Bianchi', role: 'sales' },
  { handle: 'marco', name: 'Marco Ferri', role: 'sales' },
  { handle: 'elena', name: 'Elena Conti', role: 'sales' },
  { handle: 'sara', name: 'Sara Greco', role: 'support' },
  { handle: 'luca', name: 'Luca Moretti', role: 'marketing' },
];

export const FIRST_NAMES: readonly string[] = [
  'Alessandro', 'Andrea', 'Antonio', 'Davide', 'Emanuele', 'Enrico', 'Fabio', 'Federico',
  'Filippo', 'Francesco', 'Gabriele', 'Giacomo', 'Giorgio', 'Giovanni', 'Giuseppe', 'Lorenzo',
  'Luca', 'Luigi', 'Marco', 'Massimo', 'Matteo', 'Michele', 'Nicola', 'Niccolò', 'Paolo',
  'Pietro', 'Riccardo', 'Roberto', 'Salvatore', 'Simone', 'Stefano', 'Tommaso', 'Vincenzo',
  'Alberto', 'Claudio', 'Dario', 'Edoardo', 'Mattia', 'Mirko', 'Ivan',
  'Alessandra', 'Alice', 'Anna', 'Arianna', 'Beatrice', 'Camilla', 'Chiara', 'Cristina',
  'Daniela', 'Elena', 'Elisa', 'Federica', 'Francesca', 'Giada', 'Giorgia', 'Giulia',
  'Ilaria', 'Laura', 'Lucia', 'Manuela', 'Marta', 'Martina', 'Monica', 'Paola', 'Roberta',
  'Sara', 'Serena', 'Silvia', 'Simona', 'Valentina', 'Valeria', 'Veronica', 'Noemi',
  'Barbara', 'Caterina', 'Emma', 'Greta', 'Irene', 'Sofia', 'Teresa',
];

export const LAST_NAMES: readonly string[] = [
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino',
  'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo',
  'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso',
  'Ferrara', 'Galli', 'Martini', 'Leone', 'Longo', 'Gentile', 'Martinelli', 'Vitale',
  'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo", 'Marchetti', 'Parisi', 'Villa',
  'Conte', 'Ferraro', 'Ferri', 'Fabbri', 'Bianco', 'Marini', 'Grasso', 'Valentini', 'Messina',
  'Sala', 'De Angelis', 'Gatti', 'Pellegrini', 'Palumbo', 'Sanna', 'Farina', 'Rizzi',
  'Monti', 'Cattaneo', 'Morelli', 'Amato', 'Silvestri', 'Mazza', 'Testa', 'Grassi',
  'Pellegrino', 'Carbone', 'Giuliani', 'Benedetti', 'Barone', 'Rossetti', 'Caputo',
  'Montanari', 'Guerra', 'Palmieri', 'Bernardi', 'Martino', 'Fiore', 'De Rosa', 'Ferretti',
  'Bellini', 'Basile', 'Riva', 'Donati', 'Piras', 'Vitali', 'Battaglia', 'Sartori', 'Neri',
  'Costantini', 'Milani', 'Pagano', 'Ruggiero', 'Sorrentino', "D'Amico", 'Orlando',
  'Damiani', 'Negri', 'Zanetti', 'Bassi', 'Bertolini', 'Brambilla', 'Zanella', 'Tosi',
];

export interface City {
  city: string;
  region: string;
  postcode: string;
  /** Landline area code without the leading +39. */
  area: string;
  /** Relative weight: the industrial north has more businesses. */
  weight: number;
}

export const CITIES: readonly City[] = [
  { city: 'Milano', region: 'Lombardia', postcode: '20121', area: '02', weight: 14 },
  { city: 'Bergamo', region: 'Lombardia', postcode: '24121', area: '035', weight: 5 },
  { city: 'Brescia', region: 'Lombardia', postcode: '25121', area: '030', weight: 6 },
  { city: 'Monza', region: 'Lombardia', postcode: '20900', area: '039', weight: 4 },
  { city: 'Como', region: 'Lombardia', postcode: '22100', area: '031', weight: 2 },
  { city: 'Varese', region: 'Lombardia', postcode: '21100', area: '0332', weight: 2 },
  { city: 'Torino', region: 'Piemonte', postcode: '10121', area: '011', weight: 7 },
  { city: 'Cuneo', region: 'Piemonte', postcode: '12100', area: '0171', weight: 2 },
  { city: 'Novara', region: 'Piemonte', postcode: '28100', area: '0321', weight: 2 },
  { city: 'Genova', region: 'Liguria', postcode: '16121', area: '010', weight: 3 },
  { city: 'Verona', region: 'Veneto', postcode: '37121', area: '045', weight: 5 },
  { city: 'Vicenza', region: 'Veneto', postcode: '36100', area: '0444', weight: 4 },
  { city: 'Padova', region: 'Veneto', postcode: '35121', area: '049', weight: 5 },
  { city: 'Treviso', region: 'Veneto', postcode: '31100', area: '0422', weight: 4 },
  { city: 'Venezia', region: 'Veneto', postcode: '30121', area: '041', weight: 2 },
  { city: 'Bologna', region: 'Emilia-Romagna', postcode: '40121', area: '051', weight: 9 },
  { city: 'Modena', region: 'Emilia-Romagna', postcode: '41121', area: '059', weight: 5 },
  { city: 'Parma', region: 'Emilia-Romagna', postcode: '43121', area: '0521', weight: 4 },
  { city: 'Reggio Emilia', region: 'Emilia-Romagna', postcode: '42121', area: '0522', weight: 4 },
  { city: 'Forlì', region: 'Emilia-Romagna', postcode: '47121', area: '0543', weight: 2 },
  { city: 'Rimini', region: 'Emilia-Romagna', postcode: '47921', area: '0541', weight: 2 },
  { city: 'Firenze', region: 'Toscana', postcode: '50121', area: '055', weight: 5 },
  { city: 'Prato', region: 'Toscana', postcode: '59100', area: '0574', weight: 3 },
  { city: 'Pisa', region: 'Toscana', postcode: '56121', area: '050', weight: 2 },
  { city: 'Ancona', region: 'Marche', postcode: '60121', area: '071', weight: 2 },
  { city: 'Pesaro', region: 'Marche', postcode: '61121', area: '0721', weight: 2 },
  { city: 'Perugia', region: 'Umbria', postcode: '06121', area: '075', weight: 2 },
  { city: 'Roma', region: 'Lazio', postcode: '00184', area: '06', weight: 8 },
  { city: 'Pescara', region: 'Abruzzo', postcode: '65121', area: '085', weight: 1 },
  { city: 'Napoli', region: 'Campania', postcode: '80133', area: '081', weight: 4 },
  { city: 'Salerno', region: 'Campania', postcode: '84121', area: '089', weight: 2 },
  { city: 'Bari', region: 'Puglia', postcode: '70121', area: '080', weight: 3 },
  { city: 'Lecce', region: 'Puglia', postcode: '73100', area: '0832', weight: 1 },
  { city: 'Palermo', region: 'Sicilia', postcode: '90133', area: '091', weight: 2 },
  { city: 'Catania', region: 'Sicilia', postcode: '95121', area: '095', weight: 2 },
  { city: 'Cagliari', region: 'Sardegna', postcode: '09124', area: '070', weight: 1 },
  { city: 'Trento', region: 'Trentino-Alto Adige', postcode: '38122', area: '0461', weight: 2 },
  { city: 'Bolzano', region: 'Trentino-Alto Adige', postcode: '39100', area: '0471', weight: 2 },
  { city: 'Udine', region: 'Friuli-Venezia Giulia', postcode: '33100', area: '0432', weight: 2 },
  { city: 'Trieste', region: 'Friuli-Venezia Giulia', postcode: '34121', area: '040', weight: 1 },
  { city: "L'Aquila", region: 'Abruzzo', postcode: '67100', area: '0862', weight: 1 },
  { city: 'Aosta', region: "Valle d'Aosta", postcode: '11100', area: '0165', weight: 1 },
];

export const STREETS: readonly string[] = [
  'Via Roma', 'Via Garibaldi', 'Via Mazzini', 'Via Cavour', 'Corso Italia', 'Viale Europa',
  "Via dell'Industria", "Via dell'Artigianato", 'Via Emilia', 'Via Torino', 'Via Verdi',
  'Via Dante Alighieri', 'Via Marconi', 'Via dei Mille', 'Viale della Repubblica',
  'Via Matteotti', 'Via Gramsci', 'Via Dalla Chiesa', 'Via del Lavoro', 'Via delle Officine',
  'Via Fermi', 'Via Volta', 'Via Galilei', 'Viale Kennedy', 'Via San Vitale', 'Via Aurelia',
  'Via Nazionale', 'Corso Vittorio Emanuele II', 'Via dei Tigli', 'Via Meucci',
];

export const INDUSTRIES = [
  'manufacturing',
  'retail',
  'services',
  'logistics',
  'food',
  'software',
  'healthcare',
  'construction',
  'fashion',
  'hospitality',
  'energy',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const INDUSTRY_WEIGHTS: readonly (readonly [Industry, number])[] = [
  ['manufacturing', 26],
  ['retail', 10],
  ['services', 12],
  ['logistics', 9],
  ['food', 11],
  ['software', 6],
  ['healthcare', 7],
  ['construction', 8],
  ['fashion', 5],
  ['hospitality', 3],
  ['energy', 3],
];

/** Words that make a company name sound like its industry. */
export const INDUSTRY_WORDS: Record<Industry, readonly string[]> = {
  manufacturing: [
    'Meccanica', 'Officine', 'Stampaggi', 'Minuterie', 'Torneria', 'Automazioni', 'Carpenterie',
    'Fonderia', 'Plastiche', 'Componenti', 'Valvole', 'Oleodinamica', 'Imballaggi', 'Cartotecnica',
  ],
  retail: ['Emporio', 'Ferramenta', 'Arredamenti', 'Calzature', 'Casalinghi', 'Ottica', 'Elettrodomestici', 'Market'],
  services: ['Servizi', 'Consulting', 'Consulenze', 'Multiservizi', 'Pulizie', 'Formazione', 'Facility'],
  logistics: ['Trasporti', 'Logistica', 'Spedizioni', 'Autotrasporti', 'Magazzini', 'Cargo'],
  food: ['Pastificio', 'Caseificio', 'Oleificio', 'Salumificio', 'Cantina', 'Forno', 'Dolciaria', 'Conserve'],
  software: ['Informatica', 'Sistemi', 'Software', 'Digital', 'Net', 'Data'],
  healthcare: ['Poliambulatorio', 'Clinica', 'Medical', 'Farmacia', 'Laboratorio Analisi', 'Diagnostica'],
  construction: ['Costruzioni', 'Edilizia', 'Impianti', 'Serramenti', 'Restauri', 'Infissi'],
  fashion: ['Tessitura', 'Confezioni', 'Maglificio', 'Pelletteria', 'Moda'],
  hospitality: ['Hotel', 'Albergo', 'Agriturismo', 'Resort'],
  energy: ['Energia', 'Solare', 'Termotecnica', 'Impianti Elettrici'],
};

/** Industry words that follow the family name ("Rossi Digital", not "Digital Rossi"). */
export const TRAILING_WORDS: ReadonlySet<string> = new Set(['Consulting', 'Digital', 'Net', 'Data', 'Software', 'Medical', 'Facility', 'Cargo', 'Moda']);

/** Invented brand-like names: prefix + suffix (Tecnoplast, Idrotherm …). */
export const BRAND_PREFIXES: readonly string[] = [
  'Tecno', 'Idro', 'Euro', 'Termo', 'Elettro', 'Meta', 'Agri', 'Inox', 'Poli', 'Omni', 'Alfa',
  'Nova', 'Servo', 'Mecca', 'Ital', 'Medi', 'Logi', 'Edil', 'Geo', 'Sider',
];
export const BRAND_SUFFIXES: readonly string[] = [
  'plast', 'therm', 'tech', 'mec', 'tronic', 'luce', 'pack', 'flex', 'line', 'form', 'sistemi',
  'service', 'trans', 'metal', 'food', 'med', 'color', 'green', 'legno', 'steel',
];

export const REGION_ADJECTIVES: readonly string[] = [
  'Adriatica', 'Padana', 'Lombarda', 'Emiliana', 'Veneta', 'Toscana', 'Tirrenica', 'Alpina',
  'Romagnola', 'Ligure', 'Mediterranea', 'Italiana', 'Sabauda', 'Euganea', 'Appenninica',
];

export const LEGAL_SUFFIXES: readonly (readonly [string, number])[] = [
  ['Srl', 60],
  ['S.p.A.', 14],
  ['Snc', 13],
  ['Sas', 11],
];

export const DIVISIONS: readonly string[] = [
  'Logistica', 'Servizi', 'Italia', 'Nord', 'Engineering', 'Retail', 'Impianti', 'Tech',
];

export const JOB_TITLES: readonly (readonly [string, number])[] = [
  ['Managing Director', 6],
  ['Owner', 6],
  ['CEO', 4],
  ['CFO', 4],
  ['Controller', 3],
  ['IT Manager', 9],
  ['CTO', 2],
  ['Head of Operations', 5],
  ['Plant Manager', 4],
  ['Production Manager', 4],
  ['Purchasing Manager', 7],
  ['Sales Director', 4],
  ['Marketing Manager', 4],
  ['Quality Manager', 3],
  ['Logistics Manager', 3],
  ['Office Manager', 5],
  ['HR Manager', 2],
  ['Administration', 4],
  ['Project Manager', 3],
  ['Warehouse Supervisor', 2],
];

/** What Officine Digitali sells, with a typical price range in EUR. */
export const PRODUCTS: readonly { name: string; min: number; max: number }[] = [
  { name: 'ERP integration', min: 15000, max: 90000 },
  { name: 'MES rollout', min: 30000, max: 120000 },
  { name: 'B2B e-commerce portal', min: 12000, max: 60000 },
  { name: 'Cloud migration', min: 10000, max: 70000 },
  { name: 'Managed IT services', min: 6000, max: 40000 },
  { name: 'Annual support contract', min: 3000, max: 18000 },
  { name: 'Cybersecurity assessment', min: 4000, max: 20000 },
  { name: 'Data warehouse and BI dashboards', min: 12000, max: 65000 },
  { name: 'IoT sensor kit', min: 5000, max: 35000 },
  { name: 'Electronic invoicing (SDI) integration', min: 3000, max: 12000 },
  { name: 'Industry 4.0 interconnection', min: 8000, max: 45000 },
  { name: 'Warehouse management system', min: 18000, max: 95000 },
  { name: 'Backup and disaster recovery', min: 4000, max: 25000 },
  { name: 'Network and Wi-Fi upgrade', min: 5000, max: 30000 },
  { name: 'Helpdesk outsourcing', min: 8000, max: 48000 },
  { name: 'Custom mobile app', min: 15000, max: 80000 },
  { name: 'Predictive maintenance pilot', min: 20000, max: 110000 },
  { name: 'Staff training programme', min: 3000, max: 15000 },
  { name: 'Website redesign', min: 4000, max: 22000 },
  { name: 'Microsoft 365 rollout', min: 3500, max: 28000 },
];

export const DEAL_PATTERNS: readonly (readonly [string, number])[] = [
  ['{product}', 8],
  ['{product} - phase 2', 2],
  ['{product} for the {city} plant', 2],
  ['{product} {year}', 2],
  ['{product} pilot', 1],
  ['{product} extension', 1],
];

export const LEAD_SOURCES: readonly (readonly [string, number])[] = [
  ['web', 26],
  ['referral', 14],
  ['campaign', 20],
  ['event', 10],
  ['cold-call', 11],
  ['social', 11],
  ['partner', 8],
];

export const DISQUALIFIED_REASONS: readonly string[] = [
  'no budget this year',
  'too small for our offer',
  'student, not a buyer',
  'already under contract with a competitor',
  'outside our service area',
  'duplicate of an existing account',
  'not interested after the first call',
  'wrong contact, could not reach the decision maker',
  'looking for a free tool',
  'consumer, not a business',
];

export const LOST_REASONS: readonly string[] = [
  'price too high',
  'chose a competitor',
  'budget cut',
  'project postponed to next year',
  'no decision',
  'went with an in-house solution',
  'timing: they needed it live in two weeks',
  'lost contact with the decision maker',
  'scope too small after the assessment',
];

export const CHURN_REASONS: readonly string[] = [
  'moved to a competitor',
  'business closed',
  'did not accept the price increase',
  'acquired by a group with its own IT department',
  'unhappy with support response times',
  'project ended, no further needs',
  'budget cuts',
  'brought IT in-house',
];

export const CASE_SUBJECTS: readonly string[] = [
  'Cannot log in to the customer portal',
  'Invoice shows the wrong VAT rate',
  'E-invoice rejected by SDI',
  'MES terminal offline on line 3',
  'Backup job failed overnight',
  'Slow ERP after the last update',
  'Request for a new user account',
  'Printer not reachable from the warehouse',
  'Barcode scanner does not sync',
  'Dashboard figures do not match the ledger',
  'VPN drops every few minutes',
  'Password reset for the shop manager',
  'Order import from the e-commerce stopped',
  'Wrong prices on the B2B portal',
  'Email bouncing for the sales mailbox',
  'Request for training material',
  'Sensor readings missing since Monday',
  'License renewal question',
  'Complaint about the response time on the last ticket',
  'Data export to the accountant fails',
  'Wi-Fi coverage in the new warehouse',
  'Duplicate customers after the import',
  'Request to change the billing address',
  'Error 500 on the order page',
  'Mobile app crashes on Android',
  'Shipping labels print in the wrong format',
  'Teams calls drop in the meeting room',
  'Request for a quote for extra storage',
];

export const CASE_CHANNELS: readonly (readonly [string, number])[] = [
  ['email', 36],
  ['phone', 26],
  ['web', 18],
  ['chat', 10],
  ['social', 4],
  ['visit', 4],
  ['other', 2],
];

export const PRIORITIES: readonly (readonly [string, number])[] = [
  ['low', 20],
  ['normal', 45],
  ['high', 25],
  ['urgent', 10],
];

export interface CampaignKind {
  kind: 'fair' | 'newsletter' | 'webinar' | 'social' | 'mail' | 'roadshow';
  channel: string;
  names: readonly string[];
  /** Duration in days (min, max). */
  days: readonly [number, number];
  budget: readonly [number, number];
}

export const CAMPAIGN_KINDS: readonly CampaignKind[] = [
  {
    kind: 'fair',
    channel: 'event',
    names: ['SPS Italia {year}', 'MECSPE {year}', 'Cibus Tec {year}', 'Smart Building Expo {year}', 'Logistics Forum {year}'],
    days: [3, 4],
    budget: [12000, 40000],
  },
  {
    kind: 'newsletter',
    channel: 'email',
    names: ['Newsletter {season} {year}', 'Customer newsletter {season} {year}', 'Industry 4.0 tax credit mailing {year}'],
    days: [45, 100],
    budget: [800, 4000],
  },
  {
    kind: 'webinar',
    channel: 'webinar',
    names: ['Webinar: e-invoicing without stress', 'Webinar: from Excel to BI dashboards', 'Webinar: cybersecurity for SMEs', 'Webinar: MES in 90 days'],
    days: [14, 28],
    budget: [1500, 6000],
  },
  {
    kind: 'social',
    channel: 'social',
    names: ['LinkedIn ads {season} {year}', 'LinkedIn lead-gen {season} {year}'],
    days: [30, 60],
    budget: [3000, 12000],
  },
  {
    kind: 'mail',
    channel: 'direct-mail',
    names: ['Direct mail to manufacturers {year}', 'Postcard mailing {season} {year}'],
    days: [20, 40],
    budget: [2000, 8000],
  },
  {
    kind: 'roadshow',
    channel: 'event',
    names: ['Roadshow Emilia {year}', 'Breakfast seminars Veneto {year}', 'Open day {season} {year}'],
    days: [10, 30],
    budget: [5000, 18000],
  },
];

export const SEGMENTS: readonly string[] = [
  'industry = manufacturing and status = customer',
  'industry = manufacturing and status = prospect',
  'status = customer',
  'status = prospect or status = former',
  'industry = food or industry = retail',
  'address.region = Lombardia or address.region = Veneto',
  'address.region = Emilia-Romagna and status != former',
  'employees >= 50 and status = prospect',
  'tags has key-account',
  'industry = logistics and status = customer',
];

export const SEASONS = ['winter', 'spring', 'summer', 'autumn'] as const;

export const ACCOUNT_TAGS: readonly string[] = ['key-account', 'export', 'reseller', 'public-funding', 'multi-site', 'family-business'];
export const LEAD_TAGS: readonly string[] = ['hot', 'follow-up', 'budget-2027', 'decision-maker', 'newsletter'];
export const OPP_TAGS: readonly string[] = ['upsell', 'renewal', 'tax-credit', 'multi-year', 'strategic', 'tender'];
export const CASE_TAGS: readonly string[] = ['bug', 'billing', 'onboarding', 'hardware', 'network', 'how-to'];
export const CONTACT_TAGS: readonly string[] = ['decision-maker', 'technical', 'billing', 'champion', 'newsletter'];

export const CALL_OUTCOMES: readonly string[] = [
  'reached, call back next week',
  'left a voicemail',
  'no answer',
  'meeting booked',
  'asked for a written proposal',
  'interested, sending material',
  'not the right moment',
  'solved on the phone',
];

export const MEETING_OUTCOMES: readonly string[] = [
  'next steps agreed',
  'proposal requested',
  'needs approval from the owner',
  'technical questions open',
  'positive, waiting for budget',
];

// ----------------------------------------------------------- interaction texts

export const LEAD_SUBJECTS: readonly string[] = [
  'First call',
  'Intro email',
  'Follow-up on the web enquiry',
  'Information on {product}',
  'Reply to the contact form',
  'LinkedIn message',
  'Call about their current IT setup',
  'Sent company profile',
];

export const OPP_SUBJECTS: readonly string[] = [
  'Discovery meeting',
  'Demo of {product}',
  'Technical workshop',
  'Sent the proposal',
  'Questions on the proposal',
  'Negotiation on price and payment terms',
  'Contract review',
  'Site visit at the plant',
  'Reference call with an existing customer',
  'Revised offer',
  'Kick-off planning',
];

export const ACCOUNT_SUBJECTS: readonly string[] = [
  'Quarterly business review',
  'Check-in call',
  'Renewal reminder',
  'Payment reminder',
  'Season greetings',
  'Account note',
  'Introduced the new support portal',
  'Visit to the new warehouse',
  'Asked for feedback on the project',
];

export const CASE_INTERACTION_SUBJECTS: readonly string[] = [
  'Re: {case}',
  'Update on: {case}',
  'Called back about: {case}',
  'Remote session for: {case}',
  'Asked for logs: {case}',
];

/** Subjects of campaign touches, by campaign kind. */
export const CAMPAIGN_SUBJECTS: Record<CampaignKind['kind'], readonly string[]> = {
  fair: ['Invitation: {campaign}', 'Free entry pass for {campaign}', 'Thank you for visiting our stand at {campaign}', 'Follow-up after {campaign}'],
  newsletter: ['{campaign}', 'Reply to: {campaign}', 'Follow-up after {campaign}'],
  webinar: ['Invitation: {campaign}', 'Reminder: {campaign}', 'Recording of {campaign}', 'Follow-up after {campaign}'],
  social: ['Comment on our post: {campaign}', 'Message after {campaign}', 'Follow-up after {campaign}'],
  mail: ['Voucher from {campaign}', 'Follow-up after {campaign}'],
  roadshow: ['Invitation: {campaign}', 'Reminder: {campaign}', 'Thank you for joining {campaign}'],
};

/** Kinds of campaign touches, by campaign kind. */
export const CAMPAIGN_TOUCHES: Record<CampaignKind['kind'], readonly (readonly [string, number])[]> = {
  fair: [['email', 50], ['call', 25], ['sms', 10], ['social', 10], ['visit', 5]],
  newsletter: [['email', 90], ['social', 10]],
  webinar: [['email', 70], ['social', 15], ['sms', 15]],
  social: [['social', 85], ['email', 15]],
  mail: [['email', 40], ['call', 60]],
  roadshow: [['email', 50], ['call', 30], ['sms', 20]],
};

export const FREELANCE_TITLES: readonly string[] = ['Freelance IT consultant', 'Consultant', 'Accountant', 'Architect', 'Agent', 'Interim manager'];

export const TASK_SUBJECTS: readonly string[] = [
  'Send the revised offer to {contact}',
  'Prepare the quote for {product}',
  'Call back {contact}',
  'Schedule a demo with {company}',
  'Update the contract draft for {company}',
  'Check the payment from {company}',
  'Book the meeting room for the workshop',
  'Send references to {contact}',
  'Ask {contact} for the technical requirements',
  'Prepare the renewal for {company}',
];

/** Short Markdown notes on sales activity. Placeholders: {contact} {company} {product} {city}. */
export const INTERACTION_NOTES: readonly string[] = [
  '{contact} confirmed the budget is approved for this year.',
  'Talked with {contact} about {product}. They want a short written summary.',
  '- Current setup: spreadsheets and an old ERP\n- Pain: manual order entry\n- Next: send a proposal by Friday',
  'They asked for two references in the same industry.',
  '{contact} is on holiday until next week; call back then.',
  'Good meeting. The owner joined for the last half hour.\n\nNext step: technical workshop with their IT supplier.',
  'Sent the PDF and the price list.',
  'Mentioned a second site in {city} that could need the same solution.',
  '- Discussed the timeline\n- Open point: data migration from the old system',
  'Short call, {contact} will check with purchasing.',
  'Asked about the Industry 4.0 tax credit paperwork.',
  'They compare us with two other suppliers; price is not the only criterion.',
  '**Important:** they need everything live before the August closure.',
];

/** Notes on support activity (cases). */
export const SUPPORT_NOTES: readonly string[] = [
  'Remote session, problem reproduced. Escalated to the second level.',
  'Asked {contact} for screenshots and the exact time it happened.',
  'Workaround given; a permanent fix is planned with the next update.',
  '{contact} confirms it works again.',
  'Checked the logs together with {contact}:\n\n- error started after the last update\n- only one site affected',
  'Customer satisfied with the intervention.',
  'Waiting for the hardware supplier.',
  'Called {contact} back, no answer. Sent an email instead.',
];

/** Notes on campaign touches. */
export const CAMPAIGN_NOTES: readonly string[] = [
  'Opened the mailing twice, clicked on the case study.',
  'Replied asking for the slides.',
  'Registered, did not attend.',
  'Asked to be removed from the list.',
  'Forwarded to the IT manager.',
];

export const ACCOUNT_NOTES: readonly string[] = [
  'Family-owned business, second generation. Decisions go through the owner.',
  '## Notes\n\n- Two production sites\n- Uses an old on-premise ERP\n- IT handled by an external freelancer',
  'Pays at 60 days end of month. Ask administration before any new order.',
  'Member of the local industrial association; good source of referrals.',
  'Seasonal peak in autumn: avoid go-lives between September and November.',
  '## Contacts\n\nThe IT manager is the real decision maker, the owner signs.',
  'Exports about half of the production to Germany and France.',
  'Interested in the Industry 4.0 tax credit for new machinery.',
];

export const LEAD_NOTES: readonly string[] = [
  'Filled in the contact form asking for a quote.',
  'Met at the stand; wants to digitise the warehouse.',
  'Referred by an existing customer.',
  'Downloaded the white paper on e-invoicing.',
  '- Around {employees} employees\n- Uses spreadsheets for planning\n- Budget expected next quarter',
  'Asked for a call back in the afternoon.',
];

export const OPP_NOTES: readonly string[] = [
  '## Scope\n\n- {product}\n- Training for the office staff\n- Twelve months of support',
  'Decision expected after the board meeting.',
  'Competitor in the deal: a large national integrator.',
  '## Next steps\n\n1. Technical workshop\n2. Revised offer\n3. Contract review with their lawyer',
  'They want to split the payment into three instalments.',
  'Champion: {contact}. The owner is sceptical about cloud solutions.',
];

export const CASE_NOTES: readonly string[] = [
  'Reported by {contact}.',
  'Steps to reproduce:\n\n1. Open the order list\n2. Filter by customer\n3. The page stays blank',
  'Affects the whole warehouse team.',
  'Customer sent screenshots by email.',
  'Only on one workstation; others are fine.',
  'Started after the weekend maintenance window.',
];
