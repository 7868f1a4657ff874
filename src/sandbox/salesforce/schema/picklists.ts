/** Standard picklist values of a new Salesforce org (Enterprise edition defaults). */

export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;
export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'] as const;
export const RATINGS = ['Hot', 'Warm', 'Cold'] as const;
export const INDUSTRIES = [
  'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting',
  'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage',
  'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit',
  'Other', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities',
] as const;
export const ACCOUNT_TYPES = [
  'Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner',
  'Technology Partner', 'Other',
] as const;
export const ACCOUNT_OWNERSHIP = ['Public', 'Private', 'Subsidiary', 'Other'] as const;
export const OPPORTUNITY_TYPES = [
  'Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer',
] as const;
export const FORECAST_CATEGORY_NAMES = ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'] as const;
export const FORECAST_CATEGORIES = ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'] as const;
export const CONTACT_ROLES = [
  'Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor',
  'Influencer', 'Technical Buyer', 'Other',
] as const;
export const CAMPAIGN_TYPES = [
  'Conference', 'Webinar', 'Trade Show', 'Public Relations', 'Partners', 'Referral Program', 'Advertisement',
  'Banner Ads', 'Direct Mail', 'Email', 'Telemarketing', 'Other',
] as const;
export const CAMPAIGN_STATUSES = ['Planned', 'In Progress', 'Completed', 'Aborted'] as const;
export const CAMPAIGN_MEMBER_STATUSES = ['Sent', 'Responded'] as const;
export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] as const;
export const TASK_PRIORITIES = ['High', 'Normal', 'Low'] as const;
export const TASK_TYPES = ['Call', 'Email', 'Meeting', 'Other'] as const;
export const TASK_SUBTYPES = ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] as const;
export const TIME_ZONES = [
  'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'Europe/London', 'Europe/Paris',
  'Europe/Berlin', 'Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney', 'GMT',
] as const;
export const LOCALES = ['en_US', 'en_GB', 'fr_FR', 'de_DE', 'es_ES', 'ja_JP'] as const;
export const LANGUAGES = ['en_US', 'fr', 'de', 'es', 'ja'] as const;
export const EMAIL_ENCODINGS = ['UTF-8', 'ISO-8859-1', 'Shift_JIS', 'EUC-JP'] as const;

/** The standard Opportunity stages (OpportunityStage rows). */
export interface StageDef {
  apiName: string;
  isClosed: boolean;
  isWon: boolean;
  probability: number;
  forecastCategory: (typeof FORECAST_CATEGORIES)[number];
  forecastCategoryName: (typeof FORECAST_CATEGORY_NAMES)[number];
}

export const STANDARD_STAGES: readonly StageDef[] = [
  { apiName: 'Prospecting', isClosed: false, isWon: false, probability: 10, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Qualification', isClosed: false, isWon: false, probability: 10, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Needs Analysis', isClosed: false, isWon: false, probability: 20, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Value Proposition', isClosed: false, isWon: false, probability: 50, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Id. Decision Makers', isClosed: false, isWon: false, probability: 60, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Perception Analysis', isClosed: false, isWon: false, probability: 70, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Proposal/Price Quote', isClosed: false, isWon: false, probability: 75, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Negotiation/Review', isClosed: false, isWon: false, probability: 90, forecastCategory: 'Pipeline', forecastCategoryName: 'Pipeline' },
  { apiName: 'Closed Won', isClosed: true, isWon: true, probability: 100, forecastCategory: 'Closed', forecastCategoryName: 'Closed' },
  { apiName: 'Closed Lost', isClosed: true, isWon: false, probability: 0, forecastCategory: 'Omitted', forecastCategoryName: 'Omitted' },
];

/** The standard Lead Status values (LeadStatus rows). */
export interface LeadStatusDef {
  apiName: string;
  isDefault: boolean;
  isConverted: boolean;
}

export const STANDARD_LEAD_STATUSES: readonly LeadStatusDef[] = [
  { apiName: 'Open - Not Contacted', isDefault: true, isConverted: false },
  { apiName: 'Working - Contacted', isDefault: false, isConverted: false },
  { apiName: 'Closed - Converted', isDefault: false, isConverted: true },
  { apiName: 'Closed - Not Converted', isDefault: false, isConverted: false },
];
