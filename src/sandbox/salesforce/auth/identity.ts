/** The identity service (`/id/<orgId>/<userId>`) and OpenID Connect userinfo, built from the User record. */
import type { SalesforceStore } from '../store/salesforce-store.js';

export function identityUrl(origin: string, orgId: string, userId: string): string {
  return `${origin}/id/${orgId}/${userId}`;
}

function userValues(store: SalesforceStore, userId: string): Record<string, unknown> | undefined {
  return store.get('User', userId, ['Username', 'FirstName', 'LastName', 'Name', 'Email', 'Title', 'MobilePhone', 'IsActive', 'LanguageLocaleKey', 'LocaleSidKey', 'TimeZoneSidKey', 'LastModifiedDate', 'UserType', 'Alias']);
}

function urls(origin: string, orgId: string, userId: string): Record<string, string> {
  const data = `${origin}/services/data/v{version}`;
  return {
    enterprise: `${origin}/services/Soap/c/{version}/${orgId}`,
    metadata: `${origin}/services/Soap/m/{version}/${orgId}`,
    partner: `${origin}/services/Soap/u/{version}/${orgId}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${origin}/services/Soap/T/{version}/${orgId}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${origin}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: origin,
  };
}

export function identityInfo(store: SalesforceStore, origin: string, userId: string): Record<string, unknown> | undefined {
  const u = userValues(store, userId);
  if (u === undefined) return undefined;
  const orgId = store.orgId;
  return {
    id: identityUrl(origin, orgId, userId),
    asserted_user: true,
    user_id: userId,
    organization_id: orgId,
    username: u.Username,
    nick_name: u.Alias,
    display_name: u.Name,
    email: u.Email,
    email_verified: true,
    first_name: u.FirstName,
    last_name: u.LastName,
    timezone: u.TimeZoneSidKey,
    photos: { picture: `${origin}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${origin}/img/userprofile/default_profile_45_v2.png` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: u.MobilePhone,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(origin, orgId, userId),
    active: u.IsActive,
    user_type: 'STANDARD',
    language: u.LanguageLocaleKey,
    locale: u.LocaleSidKey,
    utcOffset: 0,
    last_modified_date: u.LastModifiedDate,
    is_app_installed: true,
  };
}

export function userInfo(store: SalesforceStore, origin: string, userId: string): Record<string, unknown> | undefined {
  const u = userValues(store, userId);
  if (u === undefined) return undefined;
  const orgId = store.orgId;
  return {
    sub: identityUrl(origin, orgId, userId),
    user_id: userId,
    organization_id: orgId,
    preferred_username: u.Username,
    nickname: u.Alias,
    name: u.Name,
    email: u.Email,
    email_verified: true,
    given_name: u.FirstName,
    family_name: u.LastName,
    zoneinfo: u.TimeZoneSidKey,
    photos: { picture: `${origin}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${origin}/img/userprofile/default_profile_45_v2.png` },
    profile: `${origin}/${userId}`,
    picture: `${origin}/img/userprofile/default_profile_200_v2.png`,
    address: {},
    is_salesforce_integration_user: false,
    urls: urls(origin, orgId, userId),
    active: u.IsActive,
    user_type: 'STANDARD',
    language: u.LanguageLocaleKey,
    locale: u.LocaleSidKey,
    utcOffset: 0,
    updated_at: u.LastModifiedDate,
  };
}
