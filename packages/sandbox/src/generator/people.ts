/** Names, places and the one photo used for synthetic patients. */

export const GIVEN_NAMES = {
  female: ['Maria', 'Margaret', 'Aisha', 'Mei', 'Olivia', 'Sofia', 'Grace', 'Fatima', 'Hannah', 'Priya', 'Chloe', 'Amara', 'Ingrid', 'Lucía', 'Nora', 'Yuki'],
  male: ['James', 'Mohammed', 'Liam', 'Diego', 'Wei', 'Samuel', 'Arjun', 'Kwame', 'Lucas', 'Thomas', 'Mateo', 'Oliver', 'Hiroshi', 'Daniel', 'Noah', 'Tomasz'],
  neutral: ['Alex', 'Jordan', 'Riley', 'Quinn', 'Sam', 'Avery'],
} as const;

export const MIDDLE_NAMES = {
  female: ['Anne', 'Marie', 'Rose', 'Jean', 'Grace', 'Elena'],
  male: ['James', 'Lee', 'Ray', 'Michael', 'Thomas'],
  neutral: ['Lee', 'Jean', 'Ray', 'Morgan'],
} as const;

export const FAMILY_NAMES = [
  'Smith', 'García', 'Nguyen', "O'Brien", 'Okafor', 'Kowalski', 'Patel', 'Johnson', 'Kim', 'Haddad',
  'Rossi', 'Andersen', 'Hernández', 'Cohen', 'Mensah', 'Tanaka', 'Walker', 'Dubois', 'Schmidt', 'Lopez',
] as const;

/** Familiar forms, for a `usual` name. */
export const NICKNAMES: Record<string, string> = {
  Elizabeth: 'Liz', Maria: 'Mia', Olivia: 'Liv', Hannah: 'Annie', James: 'Jim', Samuel: 'Sam',
  Thomas: 'Tom', Daniel: 'Dan', Mohammed: 'Mo', Alexander: 'Alex', Ingrid: 'Inga', Sofia: 'Sofi',
};

export const STREETS = ['Oak Street', 'Elm Avenue', 'Cedar Lane', 'Birch Road', 'Pine Court', 'Willow Way', 'Summit Avenue', 'Harbor View Drive', 'Orchard Street', 'Mill Road'] as const;

export const CITIES: ReadonlyArray<readonly [string, string]> = [
  ['Springfield', '01109'],
  ['Holyoke', '01040'],
  ['Chicopee', '01013'],
  ['Northampton', '01060'],
  ['Westfield', '01085'],
  ['Amherst', '01002'],
  ['Ludlow', '01056'],
];

export const LANGUAGES: ReadonlyArray<readonly [string, string]> = [
  ['en-US', 'English (United States)'],
  ['es', 'Spanish'],
  ['vi', 'Vietnamese'],
  ['pt-BR', 'Portuguese (Brazil)'],
  ['zh', 'Chinese'],
];

/** A 16x16 PNG silhouette, small enough to inline as Patient.photo data. */
export const PHOTO_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAPklEQVR42mO49uQDSYhhIDRE5fXAEWENyKqx6hkCGkj2NMnBSpqTMFVj6mEgqBpNDwNBpWjaGIhXDUEkawAA1/gh2+sN8BkAAAAASUVORK5CYII=';
