/**
 * The values generated records use, taken from what the shipped mappings and the sandboxes accept: industries are
 * exactly the HubSpot values `mappings/companies.yaml` maps (with the Salesforce label each maps to), recycle and
 * disqualify reasons are `mappings/lifecycle.yaml`'s, loss reasons the sandbox org's `Loss_Reason__c` picklist.
 * test/sandbox/generator/vocabulary.test.ts checks them against the shipped files, so a mapping change shows.
 */

/** HubSpot company `industry` value → the Salesforce `Industry` label companies.yaml maps it to. */
export const INDUSTRY_MAP = {
  FARMING: 'Agriculture',
  APPAREL_FASHION: 'Apparel',
  BANKING: 'Banking',
  BIOTECHNOLOGY: 'Biotechnology',
  CHEMICALS: 'Chemicals',
  PUBLIC_RELATIONS_AND_COMMUNICATIONS: 'Communications',
  CONSTRUCTION: 'Construction',
  MANAGEMENT_CONSULTING: 'Consulting',
  EDUCATION_MANAGEMENT: 'Education',
  CONSUMER_ELECTRONICS: 'Electronics',
  OIL_ENERGY: 'Energy',
  MECHANICAL_OR_INDUSTRIAL_ENGINEERING: 'Engineering',
  ENTERTAINMENT: 'Entertainment',
  ENVIRONMENTAL_SERVICES: 'Environmental',
  FINANCIAL_SERVICES: 'Finance',
  FOOD_BEVERAGES: 'Food & Beverage',
  GOVERNMENT_ADMINISTRATION: 'Government',
  HOSPITAL_HEALTH_CARE: 'Healthcare',
  HOSPITALITY: 'Hospitality',
  INSURANCE: 'Insurance',
  MACHINERY: 'Machinery',
  INDUSTRIAL_AUTOMATION: 'Manufacturing',
  MEDIA_PRODUCTION: 'Media',
  NON_PROFIT_ORGANIZATION_MANAGEMENT: 'Not For Profit',
  RECREATIONAL_FACILITIES_AND_SERVICES: 'Recreation',
  RETAIL: 'Retail',
  PACKAGE_FREIGHT_DELIVERY: 'Shipping',
  COMPUTER_SOFTWARE: 'Technology',
  TELECOMMUNICATIONS: 'Telecommunications',
  TRANSPORTATION_TRUCKING_RAILROAD: 'Transportation',
  UTILITIES: 'Utilities',
} as const;
export type HubSpotIndustry = keyof typeof INDUSTRY_MAP;

/** How often each industry occurs among the companies of a B2B software vendor's database (relative weights). */
export const INDUSTRY_WEIGHTS: Readonly<Record<HubSpotIndustry, number>> = {
  COMPUTER_SOFTWARE: 18, FINANCIAL_SERVICES: 8, HOSPITAL_HEALTH_CARE: 7, INDUSTRIAL_AUTOMATION: 7, RETAIL: 6,
  MANAGEMENT_CONSULTING: 6, BANKING: 4, INSURANCE: 4, EDUCATION_MANAGEMENT: 4, TELECOMMUNICATIONS: 4, MEDIA_PRODUCTION: 3,
  TRANSPORTATION_TRUCKING_RAILROAD: 3, PACKAGE_FREIGHT_DELIVERY: 2, CONSUMER_ELECTRONICS: 2, BIOTECHNOLOGY: 2, OIL_ENERGY: 2,
  MECHANICAL_OR_INDUSTRIAL_ENGINEERING: 2, CONSTRUCTION: 2, FOOD_BEVERAGES: 2, HOSPITALITY: 2, UTILITIES: 1.5,
  GOVERNMENT_ADMINISTRATION: 1.5, NON_PROFIT_ORGANIZATION_MANAGEMENT: 1.5, ENTERTAINMENT: 1, PUBLIC_RELATIONS_AND_COMMUNICATIONS: 1,
  CHEMICALS: 1, MACHINERY: 1, ENVIRONMENTAL_SERVICES: 1, APPAREL_FASHION: 1, RECREATIONAL_FACILITIES_AND_SERVICES: 0.5, FARMING: 0.5,
};

/** HubSpot's original-source values (`hs_analytics_source`). */
export const SOURCES = [
  'ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC',
  'OFFLINE', 'PAID_SOCIAL',
] as const;
export type Source = (typeof SOURCES)[number];

/** Lifecycle stages and detours of mappings/lifecycle.yaml. */
export const STAGES = ['subscriber', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'recycled', 'disqualified'] as const;
export type Stage = (typeof STAGES)[number];

/** Recycle reasons of lifecycle.yaml (the last one is the SLA's auto-recycle reason, which no person picks). */
export const RECYCLE_REASONS = [
  'No response', 'Bad timing', 'No budget', 'Not the decision maker', 'Using a competitor', 'No response from sales',
] as const;
export type RecycleReason = (typeof RECYCLE_REASONS)[number];
export const AUTO_RECYCLE_REASON: RecycleReason = 'No response from sales';

export const DISQUALIFY_REASONS = ['Not a fit', 'Student or job seeker', 'Competitor', 'Spam or fake', 'Duplicate'] as const;
export type DisqualifyReason = (typeof DISQUALIFY_REASONS)[number];

/** The sandbox org's `Opportunity.Loss_Reason__c` picklist (src/sandbox/salesforce/default-org.ts). */
export const LOSS_REASONS = ['Price', 'Competitor', 'No Budget', 'No Decision', 'Timing', 'Product Fit', 'Other'] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

/** Lead Status values (standard ones plus revloop's Qualified and Recycled). */
export const LEAD_STATUS = {
  open: 'Open - Not Contacted',
  working: 'Working - Contacted',
  qualified: 'Qualified',
  recycled: 'Recycled',
  converted: 'Closed - Converted',
  disqualified: 'Closed - Not Converted',
} as const;

/** The open Opportunity stages in order, then the two closed ones (the org's OpportunityStage rows). */
export const OPEN_STAGES = [
  'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis',
  'Proposal/Price Quote', 'Negotiation/Review',
] as const;
export const CLOSED_WON = 'Closed Won';
export const CLOSED_LOST = 'Closed Lost';

/** Lead sources reps pick for the people they find themselves (Salesforce `LeadSource`). */
export const SALES_LEAD_SOURCES = ['Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;

/** The form a conversion came from (`recent_conversion_event_name`); "Demo request" puts an MQL in the 4-hour SLA. */
export const DEMO_REQUEST = 'Demo request';
export const CONVERSION_FORMS = ['Contact us', 'Pricing page form', 'Free trial signup', 'Ebook download', 'Webinar registration'] as const;
export const NEWSLETTER_SIGNUP = 'Newsletter signup';

export const FREE_MAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me', 'aol.com'] as const;

/** Contact roles given to colleagues added to an opportunity (the primary one comes from lead conversion). */
export const EXTRA_ROLES = ['Evaluator', 'Technical Buyer', 'Influencer', 'Economic Buyer', 'Executive Sponsor', 'Business User'] as const;

/** Words after a company's main name, by Salesforce industry label (others use the generic ones). */
export const COMPANY_WORDS: Readonly<Record<string, readonly string[]>> = {
  Technology: ['Software', 'Labs', 'Systems', 'Cloud', 'Data', 'Analytics', 'Digital', 'Networks', 'AI', 'Tech'],
  Finance: ['Capital', 'Financial', 'Advisors', 'Finance', 'Payments'],
  Banking: ['Bank', 'Bancorp', 'Savings', 'Trust'],
  Insurance: ['Insurance', 'Assurance', 'Mutual', 'Underwriters'],
  Healthcare: ['Health', 'Medical', 'Care', 'Clinics'],
  Biotechnology: ['Bio', 'Therapeutics', 'Genomics', 'Biosciences'],
  Manufacturing: ['Industries', 'Manufacturing', 'Works', 'Automation'],
  Consulting: ['Consulting', 'Advisory', 'Partners', 'Associates'],
  Retail: ['Stores', 'Outfitters', 'Market', 'Goods'],
  Education: ['Academy', 'Learning', 'Institute', 'Education'],
  Telecommunications: ['Telecom', 'Communications', 'Wireless', 'Networks'],
  Media: ['Media', 'Studios', 'Productions', 'Publishing'],
  Transportation: ['Logistics', 'Transport', 'Freight', 'Lines'],
  Shipping: ['Shipping', 'Express', 'Delivery', 'Cargo'],
};
export const GENERIC_COMPANY_WORDS = ['Group', 'Solutions', 'Holdings', 'Services', 'Partners', 'Company', 'Enterprises', 'International'];

/** Departments and levels that make up job titles; the first departments are the buyers of revloop's kind of product. */
export const DEPARTMENTS = [
  'Marketing', 'Sales', 'Revenue Operations', 'IT', 'Operations', 'Finance', 'Engineering', 'Human Resources', 'Customer Success',
] as const;
export const BUYER_DEPARTMENTS: ReadonlySet<string> = new Set(['Marketing', 'Sales', 'Revenue Operations', 'IT', 'Operations']);
export const LEVELS = ['Chief', 'VP', 'Director', 'Head', 'Manager', 'Senior', 'Specialist', 'Coordinator', 'Intern'] as const;
export type Level = (typeof LEVELS)[number];

/** Countries of companies and people, with how they write phone numbers (`#` is a digit). */
export const COUNTRIES = [
  { name: 'United States', weight: 70, phone: '+1 ###-###-####', locale: 'en_US' },
  { name: 'Canada', weight: 8, phone: '+1 ###-###-####', locale: 'en_CA' },
  { name: 'United Kingdom', weight: 9, phone: '+44 #### ######', locale: 'en_GB' },
  { name: 'Australia', weight: 4, phone: '+61 # #### ####', locale: 'en_AU' },
  { name: 'Germany', weight: 5, phone: '+49 ### #######', locale: 'de' },
  { name: 'France', weight: 4, phone: '+33 # ## ## ## ##', locale: 'fr' },
] as const;
export type CountryName = (typeof COUNTRIES)[number]['name'];

/** The SLA segments of lifecycle.yaml: hours to accept an MQL, and after which revloop may auto-recycle it. */
export const SLA_HOURS = {
  demo_request: { acceptWithinHours: 4, autoRecycleAfterHours: 72 },
  standard: { acceptWithinHours: 24, autoRecycleAfterHours: 120 },
} as const;

/** The lifecycle's MQL score threshold (lifecycle.yaml: hubspot.hubspotscore gte 50). */
export const MQL_SCORE = 50;
