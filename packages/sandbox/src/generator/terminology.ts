/**
 * Code systems and the small catalogues of codes the generator draws from.
 * Codes are real LOINC / SNOMED CT / RxNorm / CVX / ICD-10-CM / UCUM codes so
 * that a UI keyed on them (vital-sign LOINCs, the SNOMED "no known allergy"
 * situation) behaves as it would on production data.
 */
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  ssn: 'http://hl7.org/fhir/sid/us-ssn',
  bcp47: 'urn:ietf:bcp:47',
  mrn: 'http://hospital.example.org/mrn',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  contactRelationship: 'http://terminology.hl7.org/CodeSystem/v2-0131',
  diagnosticService: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  medicationRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  documentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  birthSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
} as const;

export function coding(system: string, code: string, display?: string): Coding {
  return display === undefined ? { system, code } : { system, code, display };
}

export function concept(system: string, code: string, display: string, text: string = display): CodeableConcept {
  return { coding: [coding(system, code, display)], text };
}

export const loinc = (code: string, display: string, text: string = display): CodeableConcept => concept(SYSTEM.loinc, code, display, text);
export const snomed = (code: string, display: string, text: string = display): CodeableConcept => concept(SYSTEM.snomed, code, display, text);

// ---------------------------------------------------------------- vital signs

/** A vital sign or body measure (US Core vital-signs shapes). */
export interface VitalDefinition {
  code: string;
  display: string;
  text: string;
  /** The US Core profile this observation claims. */
  profile: string;
}

const usCore = (name: string): string => `http://hl7.org/fhir/us/core/StructureDefinition/${name}`;

export const VITALS = {
  bpPanel: { code: '85354-9', display: 'Blood pressure panel with all children optional', text: 'Blood pressure', profile: usCore('us-core-blood-pressure') },
  bpSynthea: { code: '55284-4', display: 'Blood pressure systolic and diastolic', text: 'Blood pressure', profile: 'http://hl7.org/fhir/StructureDefinition/vitalsigns' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure', text: 'Systolic blood pressure', profile: 'http://hl7.org/fhir/StructureDefinition/vitalsigns' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure', text: 'Diastolic blood pressure', profile: 'http://hl7.org/fhir/StructureDefinition/vitalsigns' },
  heartRate: { code: '8867-4', display: 'Heart rate', text: 'Heart rate', profile: usCore('us-core-heart-rate') },
  respiratoryRate: { code: '9279-1', display: 'Respiratory rate', text: 'Respiratory rate', profile: usCore('us-core-respiratory-rate') },
  temperature: { code: '8310-5', display: 'Body temperature', text: 'Temperature', profile: usCore('us-core-body-temperature') },
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', text: 'SpO2', profile: usCore('us-core-pulse-oximetry') },
  weight: { code: '29463-7', display: 'Body weight', text: 'Weight', profile: usCore('us-core-body-weight') },
  height: { code: '8302-2', display: 'Body height', text: 'Height', profile: usCore('us-core-body-height') },
  bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', text: 'BMI', profile: usCore('us-core-bmi') },
  headCircumference: { code: '9843-4', display: 'Head Occipital-frontal circumference', text: 'Head circumference', profile: usCore('head-occipital-frontal-circumference-percentile') },
} satisfies Record<string, VitalDefinition>;

/** US Core pulse oximetry carries 2708-6 beside 59408-5. */
export const SPO2_SECOND_CODING = coding(SYSTEM.loinc, '2708-6', 'Oxygen saturation in Arterial blood');

/** UCUM units: [code, human unit]. */
export const UNITS = {
  mmHg: ['mm[Hg]', 'mmHg'],
  perMinute: ['/min', '/min'],
  celsius: ['Cel', 'Cel'],
  fahrenheit: ['[degF]', 'degF'],
  percent: ['%', '%'],
  kg: ['kg', 'kg'],
  g: ['g', 'g'],
  lb: ['[lb_av]', 'lb'],
  cm: ['cm', 'cm'],
  inch: ['[in_i]', 'in'],
  bmi: ['kg/m2', 'kg/m2'],
} as const satisfies Record<string, readonly [string, string]>;

export type Unit = (typeof UNITS)[keyof typeof UNITS];

// ---------------------------------------------------------------- laboratory

export interface Analyte {
  code: string;
  display: string;
  text: string;
  unit: string;
  /** Reference range. */
  low: number;
  high: number;
  /** Values beyond these get HH / LL. */
  criticalLow: number;
  criticalHigh: number;
  /** Typical value and spread for a healthy adult. */
  mean: number;
  sd: number;
  decimals: number;
}

const analyte = (
  code: string, display: string, text: string, unit: string,
  low: number, high: number, criticalLow: number, criticalHigh: number, decimals: number,
): Analyte => ({ code, display, text, unit, low, high, criticalLow, criticalHigh, mean: (low + high) / 2, sd: (high - low) / 5, decimals });

export const ANALYTES = {
  wbc: analyte('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', 'WBC', '10*3/uL', 4.5, 11, 2, 30, 1),
  rbc: analyte('789-8', 'Erythrocytes [#/volume] in Blood by Automated count', 'RBC', '10*6/uL', 4.2, 5.9, 2.5, 7.5, 2),
  hemoglobin: analyte('718-7', 'Hemoglobin [Mass/volume] in Blood', 'Hemoglobin', 'g/dL', 12, 17.5, 7, 20, 1),
  hematocrit: analyte('4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', 'Hematocrit', '%', 36, 50, 21, 60, 1),
  platelets: analyte('777-3', 'Platelets [#/volume] in Blood by Automated count', 'Platelets', '10*3/uL', 150, 400, 50, 1000, 0),
  mcv: analyte('787-2', 'MCV [Entitic volume] by Automated count', 'MCV', 'fL', 80, 100, 60, 120, 1),
  glucose: analyte('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'Glucose', 'mg/dL', 70, 99, 50, 400, 0),
  bun: analyte('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'BUN', 'mg/dL', 7, 20, 2, 100, 0),
  creatinine: analyte('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'Creatinine', 'mg/dL', 0.6, 1.3, 0.2, 10, 2),
  sodium: analyte('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'Sodium', 'mmol/L', 136, 145, 120, 160, 0),
  potassium: analyte('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'Potassium', 'mmol/L', 3.5, 5.1, 2.8, 6.2, 1),
  chloride: analyte('2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'Chloride', 'mmol/L', 98, 107, 80, 120, 0),
  co2: analyte('2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'CO2', 'mmol/L', 22, 29, 10, 40, 0),
  calcium: analyte('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'Calcium', 'mg/dL', 8.6, 10.3, 6.5, 13, 1),
  protein: analyte('2885-2', 'Protein [Mass/volume] in Serum or Plasma', 'Total protein', 'g/dL', 6, 8.3, 3, 12, 1),
  albumin: analyte('1751-7', 'Albumin [Mass/volume] in Serum or Plasma', 'Albumin', 'g/dL', 3.5, 5, 1.5, 7, 1),
  bilirubin: analyte('1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma', 'Total bilirubin', 'mg/dL', 0.1, 1.2, 0, 15, 1),
  alp: analyte('6768-6', 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma', 'Alkaline phosphatase', 'U/L', 44, 147, 10, 1000, 0),
  alt: analyte('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'ALT', 'U/L', 7, 56, 1, 1000, 0),
  ast: analyte('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'AST', 'U/L', 10, 40, 1, 1000, 0),
  cholesterol: analyte('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'Total cholesterol', 'mg/dL', 100, 199, 50, 500, 0),
  triglycerides: analyte('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'Triglycerides', 'mg/dL', 30, 149, 10, 1000, 0),
  hdl: analyte('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'HDL cholesterol', 'mg/dL', 40, 90, 10, 150, 0),
  ldl: analyte('18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'LDL cholesterol', 'mg/dL', 40, 129, 10, 400, 0),
  a1c: analyte('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 'Hemoglobin A1c', '%', 4, 5.6, 3, 14, 1),
  tsh: analyte('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'TSH', 'm[IU]/L', 0.4, 4, 0.01, 50, 2),
  bnp: analyte('30934-4', 'Natriuretic peptide B [Mass/volume] in Serum or Plasma', 'BNP', 'pg/mL', 0, 100, 0, 5000, 0),
  inr: analyte('6301-6', 'INR in Platelet poor plasma by Coagulation assay', 'INR', '{INR}', 0.8, 1.2, 0.5, 5, 1),
} satisfies Record<string, Analyte>;

export type AnalyteName = keyof typeof ANALYTES;

export interface PanelDefinition {
  code: string;
  display: string;
  text: string;
  analytes: AnalyteName[];
}

export const PANELS = {
  cbc: { code: '58410-2', display: 'CBC panel - Blood by Automated count', text: 'Complete blood count', analytes: ['wbc', 'rbc', 'hemoglobin', 'hematocrit', 'platelets', 'mcv'] },
  cmp: { code: '24323-8', display: 'Comprehensive metabolic 2000 panel - Serum or Plasma', text: 'Comprehensive metabolic panel', analytes: ['glucose', 'bun', 'creatinine', 'sodium', 'potassium', 'chloride', 'co2', 'calcium', 'protein', 'albumin', 'bilirubin', 'alp', 'alt', 'ast'] },
  bmp: { code: '51990-0', display: 'Basic metabolic panel - Blood', text: 'Basic metabolic panel', analytes: ['glucose', 'bun', 'creatinine', 'sodium', 'potassium', 'chloride', 'co2', 'calcium'] },
  lipid: { code: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma', text: 'Lipid panel', analytes: ['cholesterol', 'triglycerides', 'hdl', 'ldl'] },
  a1c: { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', text: 'Hemoglobin A1c', analytes: ['a1c'] },
  tsh: { code: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', text: 'TSH', analytes: ['tsh'] },
  bilirubin: { code: '1975-2', display: 'Bilirubin.total [Mass/volume] in Serum or Plasma', text: 'Bilirubin', analytes: ['bilirubin'] },
  bnp: { code: '30934-4', display: 'Natriuretic peptide B [Mass/volume] in Serum or Plasma', text: 'BNP', analytes: ['bnp'] },
  inr: { code: '6301-6', display: 'INR in Platelet poor plasma by Coagulation assay', text: 'INR', analytes: ['inr'] },
} satisfies Record<string, PanelDefinition>;

export type PanelName = keyof typeof PANELS;

export const INTERPRETATION = {
  N: 'Normal',
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
} as const;

export const NEGATIVE = concept(SYSTEM.snomed, '260385009', 'Negative');
export const TRACE = concept(SYSTEM.snomed, '260405006', 'Trace');

// ---------------------------------------------------------------- conditions

export interface ConditionDefinition {
  snomed: string;
  icd10: string;
  display: string;
  icdDisplay: string;
}

const condition = (snomedCode: string, icd10: string, display: string, icdDisplay: string = display): ConditionDefinition => ({ snomed: snomedCode, icd10, display, icdDisplay });

export const CONDITIONS = {
  hypertension: condition('59621000', 'I10', 'Essential hypertension', 'Essential (primary) hypertension'),
  diabetes: condition('44054006', 'E11.9', 'Type 2 diabetes mellitus', 'Type 2 diabetes mellitus without complications'),
  prediabetes: condition('714628002', 'R73.03', 'Prediabetes'),
  hyperlipidemia: condition('55822004', 'E78.5', 'Hyperlipidemia', 'Hyperlipidemia, unspecified'),
  asthma: condition('195967001', 'J45.909', 'Asthma', 'Unspecified asthma, uncomplicated'),
  bronchitis: condition('10509002', 'J20.9', 'Acute bronchitis', 'Acute bronchitis, unspecified'),
  strep: condition('43878008', 'J02.0', 'Streptococcal sore throat', 'Streptococcal pharyngitis'),
  otitis: condition('65363002', 'H66.90', 'Otitis media', 'Otitis media, unspecified, unspecified ear'),
  viralUri: condition('54150009', 'J06.9', 'Upper respiratory infection', 'Acute upper respiratory infection, unspecified'),
  atrialFibrillation: condition('49436004', 'I48.91', 'Atrial fibrillation', 'Unspecified atrial fibrillation'),
  ckd3: condition('433144002', 'N18.30', 'Chronic kidney disease stage 3', 'Chronic kidney disease, stage 3 unspecified'),
  heartFailure: condition('42343007', 'I50.9', 'Congestive heart failure', 'Heart failure, unspecified'),
  osteoarthritisKnee: condition('239873007', 'M17.9', 'Osteoarthritis of knee', 'Osteoarthritis of knee, unspecified'),
  copd: condition('13645005', 'J44.9', 'Chronic obstructive pulmonary disease', 'Chronic obstructive pulmonary disease, unspecified'),
  depression: condition('370143000', 'F32.9', 'Major depressive disorder', 'Major depressive disorder, single episode, unspecified'),
  hypothyroidism: condition('40930008', 'E03.9', 'Hypothyroidism', 'Hypothyroidism, unspecified'),
  obesity: condition('414916001', 'E66.9', 'Obesity', 'Obesity, unspecified'),
  anemia: condition('271737000', 'D64.9', 'Anemia', 'Anemia, unspecified'),
  migraine: condition('37796009', 'G43.909', 'Migraine', 'Migraine, unspecified, not intractable, without status migrainosus'),
  gerd: condition('235595009', 'K21.9', 'Gastroesophageal reflux disease', 'Gastro-esophageal reflux disease without esophagitis'),
  adhd: condition('406506008', 'F90.9', 'Attention deficit hyperactivity disorder', 'Attention-deficit hyperactivity disorder, unspecified type'),
  neonatalJaundice: condition('387712008', 'P59.9', 'Neonatal jaundice', 'Neonatal jaundice, unspecified'),
  ankleSprain: condition('44465007', 'S93.409A', 'Sprain of ankle', 'Sprain of unspecified ligament of unspecified ankle, initial encounter'),
  pneumonia: condition('233604007', 'J18.9', 'Pneumonia', 'Pneumonia, unspecified organism'),
  alzheimers: condition('26929004', 'G30.9', "Alzheimer's disease", "Alzheimer's disease, unspecified"),
  allergicRhinitis: condition('61582004', 'J30.9', 'Allergic rhinitis', 'Allergic rhinitis, unspecified'),
  eczema: condition('24079001', 'L20.9', 'Atopic dermatitis', 'Atopic dermatitis, unspecified'),
  neuropathy: condition('230572002', 'E11.40', 'Diabetic neuropathy', 'Type 2 diabetes mellitus with diabetic neuropathy, unspecified'),
  chestPain: condition('29857009', 'R07.9', 'Chest pain', 'Chest pain, unspecified'),
  uti: condition('68566005', 'N39.0', 'Urinary tract infection', 'Urinary tract infection, site not specified'),
  anaphylaxis: condition('39579001', 'T88.6XXA', 'Anaphylaxis', 'Anaphylactic reaction due to adverse effect of correct drug or medicament properly administered, initial encounter'),
  fracture: condition('263102004', 'S52.509A', 'Fracture of forearm', 'Unspecified fracture of the lower end of unspecified radius, initial encounter'),
} satisfies Record<string, ConditionDefinition>;

export type ConditionName = keyof typeof CONDITIONS;

export const SEVERITY = {
  mild: concept(SYSTEM.snomed, '255604002', 'Mild'),
  moderate: concept(SYSTEM.snomed, '6736007', 'Moderate'),
  severe: concept(SYSTEM.snomed, '24484000', 'Severe'),
};

// ---------------------------------------------------------------- medications

export interface MedicationDefinition {
  rxnorm: string;
  display: string;
  /** Sig, as printed on the label. */
  sig: string;
  /** Doses per day, for structured timing. */
  frequency: number;
  route: 'oral' | 'inhaled' | 'subcutaneous' | 'intramuscular' | 'topical';
}

const medication = (rxnorm: string, display: string, sig: string, frequency: number, route: MedicationDefinition['route'] = 'oral'): MedicationDefinition => ({ rxnorm, display, sig, frequency, route });

export const MEDICATIONS = {
  lisinopril: medication('314076', 'lisinopril 10 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 1),
  amlodipine: medication('197361', 'amlodipine 5 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 1),
  hydrochlorothiazide: medication('310798', 'hydrochlorothiazide 25 MG Oral Tablet', 'Take 1 tablet by mouth every morning', 1),
  metformin: medication('861007', 'metformin hydrochloride 500 MG Oral Tablet', 'Take 1 tablet by mouth twice daily with meals', 2),
  atorvastatin: medication('617310', 'atorvastatin 20 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime', 1),
  simvastatin: medication('312961', 'simvastatin 20 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime', 1),
  levothyroxine: medication('966222', 'levothyroxine sodium 0.05 MG Oral Tablet', 'Take 1 tablet by mouth every morning on an empty stomach', 1),
  warfarin: medication('855332', 'warfarin sodium 5 MG Oral Tablet', 'Take as directed by the anticoagulation clinic', 1),
  furosemide: medication('313988', 'furosemide 40 MG Oral Tablet', 'Take 1 tablet by mouth every morning', 1),
  albuterol: medication('745679', '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing', 4, 'inhaled'),
  fluticasone: medication('895994', '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', 'Inhale 2 puffs twice daily; rinse mouth after use', 2, 'inhaled'),
  epinephrine: medication('1870230', 'NDA020800 0.3 ML epinephrine 1 MG/ML Auto-Injector', 'Inject 0.3 mg into the outer thigh once for anaphylaxis; call 911', 1, 'intramuscular'),
  cetirizine: medication('1014676', 'cetirizine hydrochloride 5 MG Oral Tablet', 'Take 1 tablet by mouth daily as needed for allergies', 1),
  azithromycin: medication('308460', 'azithromycin 250 MG Oral Tablet', 'Take 2 tablets on day 1, then 1 tablet daily for 4 days', 1),
  amoxicillin: medication('308192', 'amoxicillin 500 MG Oral Tablet', 'Take 1 tablet by mouth three times daily for 10 days', 3),
  amoxicillinSuspension: medication('308189', 'amoxicillin 80 MG/ML Oral Suspension', 'Give 5 mL by mouth twice daily for 10 days', 2),
  acetaminophen: medication('313782', 'acetaminophen 325 MG Oral Tablet', 'Take 2 tablets by mouth every 6 hours as needed for pain', 4),
  ibuprofen: medication('310965', 'ibuprofen 200 MG Oral Tablet', 'Take 2 tablets by mouth every 8 hours as needed with food', 3),
  omeprazole: medication('198053', 'omeprazole 20 MG Delayed Release Oral Capsule', 'Take 1 capsule by mouth before breakfast', 1),
  sertraline: medication('312940', 'sertraline 50 MG Oral Tablet', 'Take 1 tablet by mouth once daily', 1),
  methylphenidate: medication('1091170', 'methylphenidate hydrochloride 10 MG Oral Tablet', 'Take 1 tablet by mouth every morning on school days', 1),
  donepezil: medication('997224', 'donepezil hydrochloride 10 MG Oral Tablet', 'Take 1 tablet by mouth at bedtime', 1),
  tiotropium: medication('1552002', 'tiotropium 0.0025 MG/ACTUAT Inhalation Spray', 'Inhale 2 puffs once daily', 1, 'inhaled'),
  sumatriptan: medication('313165', 'sumatriptan 50 MG Oral Tablet', 'Take 1 tablet at migraine onset; may repeat once after 2 hours', 1),
  gabapentin: medication('310431', 'gabapentin 100 MG Oral Capsule', 'Take 1 capsule by mouth three times daily', 3),
  ferrousSulfate: medication('310325', 'ferrous sulfate 325 MG Oral Tablet', 'Take 1 tablet by mouth daily', 1),
  hydrocortisoneCream: medication('106258', 'hydrocortisone 10 MG/ML Topical Cream', 'Apply a thin layer to affected skin twice daily', 2, 'topical'),
  nitrofurantoin: medication('1648755', 'nitrofurantoin monohydrate 100 MG Oral Capsule', 'Take 1 capsule by mouth twice daily for 5 days', 2),
  ceftriaxone: medication('1665021', 'ceftriaxone 1000 MG Injection', 'Infuse 1 g intravenously every 24 hours', 1, 'intramuscular'),
} satisfies Record<string, MedicationDefinition>;

export type MedicationName = keyof typeof MEDICATIONS;

/** Products emitted as separate Medication resources (referenced by medicationReference). */
export const MEDICATION_PRODUCTS = {
  apixaban: { rxnorm: '1364445', display: 'apixaban 5 MG Oral Tablet', form: ['385055001', 'Tablet'], ingredient: ['1364430', 'apixaban'], sig: 'Take 1 tablet by mouth twice daily', frequency: 2 },
  insulinGlargine: { rxnorm: '285018', display: 'insulin glargine 100 UNT/ML Injectable Solution', form: ['385219001', 'Solution for injection'], ingredient: ['274783', 'insulin glargine'], sig: 'Inject 20 units under the skin at bedtime', frequency: 1 },
  warfarin: { rxnorm: '855332', display: 'warfarin sodium 5 MG Oral Tablet', form: ['385055001', 'Tablet'], ingredient: ['11289', 'warfarin'], sig: 'Take as directed by the anticoagulation clinic', frequency: 1 },
} as const;

export type MedicationProductName = keyof typeof MEDICATION_PRODUCTS;

export const ROUTES = {
  oral: concept(SYSTEM.snomed, '26643006', 'Oral route', 'By mouth'),
  inhaled: concept(SYSTEM.snomed, '18679011000001101', 'Inhalation', 'Inhaled'),
  subcutaneous: concept(SYSTEM.snomed, '34206005', 'Subcutaneous route', 'Subcutaneous'),
  intramuscular: concept(SYSTEM.snomed, '78421000', 'Intramuscular route', 'Intramuscular'),
  topical: concept(SYSTEM.snomed, '6064005', 'Topical route', 'Topical'),
} as const;

// ---------------------------------------------------------------- immunizations

export const VACCINES = {
  hepB: ['08', 'Hep B, adolescent or pediatric'],
  dtap: ['20', 'DTaP'],
  ipv: ['10', 'IPV'],
  hib: ['49', 'Hib (PRP-OMP)'],
  pcv13: ['133', 'Pneumococcal conjugate PCV 13'],
  rotavirus: ['116', 'rotavirus, pentavalent'],
  mmr: ['03', 'MMR'],
  varicella: ['21', 'varicella'],
  hepA: ['83', 'Hep A, ped/adol, 2 dose'],
  flu: ['140', 'Influenza, seasonal, injectable, preservative free'],
  tdap: ['115', 'Tdap'],
  hpv: ['165', 'HPV9'],
  menacwy: ['114', 'meningococcal MCV4P'],
  covid: ['208', 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose'],
  zoster: ['187', 'zoster vaccine recombinant'],
  ppsv23: ['33', 'pneumococcal polysaccharide vaccine, 23 valent'],
  td: ['113', 'Td (adult) preservative free'],
} as const satisfies Record<string, readonly [string, string]>;

export type VaccineName = keyof typeof VACCINES;

/** The childhood schedule (CDC), by age in months. */
export const CHILD_SCHEDULE: ReadonlyArray<readonly [number, readonly VaccineName[]]> = [
  [0, ['hepB']],
  [2, ['dtap', 'ipv', 'hib', 'pcv13', 'rotavirus', 'hepB']],
  [4, ['dtap', 'ipv', 'hib', 'pcv13', 'rotavirus']],
  [6, ['dtap', 'pcv13', 'rotavirus', 'hepB']],
  [12, ['mmr', 'varicella', 'hepA', 'hib', 'pcv13']],
  [15, ['dtap']],
  [18, ['hepA', 'ipv']],
  [48, ['dtap', 'ipv', 'mmr', 'varicella']],
  [132, ['tdap', 'hpv', 'menacwy']],
  [138, ['hpv']],
  [192, ['menacwy']],
];

// ---------------------------------------------------------------- allergies

export const NO_KNOWN_ALLERGY = concept(SYSTEM.snomed, '716186003', 'No known allergy (situation)', 'No known allergies');
export const NO_KNOWN_DRUG_ALLERGY = concept(SYSTEM.snomed, '409137002', 'No known history of drug allergy (situation)', 'No known drug allergies');

export const MANIFESTATIONS = {
  anaphylaxis: concept(SYSTEM.snomed, '39579001', 'Anaphylaxis'),
  hives: concept(SYSTEM.snomed, '247472004', 'Wheal (finding)', 'Hives'),
  rash: concept(SYSTEM.snomed, '271807003', 'Eruption of skin (disorder)', 'Rash'),
  nausea: concept(SYSTEM.snomed, '422587007', 'Nausea (finding)', 'Nausea'),
  vomiting: concept(SYSTEM.snomed, '422400008', 'Vomiting (disorder)', 'Vomiting'),
  angioedema: concept(SYSTEM.snomed, '41291007', 'Angioedema (disorder)', 'Swelling of lips and tongue'),
  wheezing: concept(SYSTEM.snomed, '56018004', 'Wheezing (finding)', 'Wheezing'),
  sneezing: concept(SYSTEM.snomed, '162367006', 'Sneezing (finding)', 'Sneezing'),
  itching: concept(SYSTEM.snomed, '418290006', 'Itching (finding)', 'Itching'),
  cough: concept(SYSTEM.snomed, '49727002', 'Cough (finding)', 'Cough'),
  diarrhea: concept(SYSTEM.snomed, '62315008', 'Diarrhea (finding)', 'Diarrhea'),
};

// ---------------------------------------------------------------- procedures, encounters, documents

export const PROCEDURES = {
  colonoscopy: ['73761001', 'Colonoscopy'],
  appendectomy: ['80146002', 'Appendectomy'],
  kneeReplacement: ['609588000', 'Total knee replacement'],
  medicationReconciliation: ['430193006', 'Medication reconciliation (procedure)'],
  depressionScreening: ['171207006', 'Depression screening (procedure)'],
  ecg: ['29303009', 'Electrocardiographic procedure'],
  chestXray: ['399208008', 'Plain chest X-ray (procedure)'],
  spirometry: ['127783003', 'Spirometry (procedure)'],
  cardioversion: ['250980009', 'Cardioversion (procedure)'],
  mammogram: ['24623002', 'Screening mammography (procedure)'],
} as const satisfies Record<string, readonly [string, string]>;

export type ProcedureName = keyof typeof PROCEDURES;

export const ENCOUNTER_TYPES = {
  checkup: ['185349003', 'Encounter for check up (procedure)', 'Annual physical'],
  wellChild: ['410620009', 'Well child visit (procedure)', 'Well-child visit'],
  followup: ['390906007', 'Follow-up encounter (procedure)', 'Follow-up visit'],
  sick: ['185345009', 'Encounter for symptom (procedure)', 'Office visit'],
  emergency: ['50849002', 'Emergency room admission (procedure)', 'Emergency department visit'],
  admission: ['32485007', 'Hospital admission (procedure)', 'Inpatient admission'],
  telehealth: ['448337001', 'Telemedicine consultation with patient (procedure)', 'Video visit'],
} as const satisfies Record<string, readonly [string, string, string]>;

export type EncounterTypeName = keyof typeof ENCOUNTER_TYPES;

export const DOCUMENT_TYPES = {
  progressNote: ['11506-3', 'Progress note'],
  summary: ['34133-9', 'Summary of episode note'],
  discharge: ['18842-5', 'Discharge summary'],
  historyAndPhysical: ['34117-2', 'History and physical note'],
  edNote: ['34111-5', 'Emergency department note'],
} as const satisfies Record<string, readonly [string, string]>;

export type DocumentTypeName = keyof typeof DOCUMENT_TYPES;

export const SMOKING_STATUS = {
  never: ['266919005', 'Never smoked tobacco (finding)', 'Never smoker'],
  former: ['8517006', 'Ex-smoker (finding)', 'Former smoker'],
  current: ['449868002', 'Smokes tobacco daily (finding)', 'Current every day smoker'],
} as const;

export type SmokingStatus = keyof typeof SMOKING_STATUS;
