/**
 * Curated medical lexicon. Terms alone never fire: a condition, medication or procedure counts only
 * next to a context word (see medical.ts). Words with a common non-medical sense (cold, virus, shot,
 * operation, pressure) are left out on purpose.
 */

export const CONDITIONS = [
  'diabetes', 'diabetic', 'prediabetes', 'type 1 diabetes', 'type 2 diabetes', 'hypertension', 'high blood pressure',
  'low blood pressure', 'hypotension', 'asthma', 'copd', 'emphysema', 'bronchitis', 'pneumonia', 'tuberculosis',
  'cancer', 'breast cancer', 'prostate cancer', 'lung cancer', 'colon cancer', 'skin cancer', 'leukemia', 'lymphoma',
  'melanoma', 'tumor', 'tumour', 'carcinoma', 'sarcoma', 'metastatic', 'hiv', 'hepatitis', 'cirrhosis',
  'fatty liver', 'kidney disease', 'kidney stone', 'kidney failure', 'renal failure', 'heart disease', 'heart failure',
  'heart attack', 'cardiac arrest', 'arrhythmia', 'atrial fibrillation', 'afib', 'a-fib', 'angina',
  'coronary artery disease', 'stroke', 'epilepsy', 'seizure', 'migraine', 'multiple sclerosis', "parkinson's",
  'parkinsons', "alzheimer's", 'alzheimers', 'dementia', 'autism', 'adhd', 'depression', 'clinical depression',
  'anxiety disorder', 'panic attack', 'panic disorder', 'bipolar', 'bipolar disorder', 'schizophrenia', 'ptsd', 'ocd',
  'eating disorder', 'anorexia', 'bulimia', 'insomnia', 'sleep apnea', 'arthritis', 'rheumatoid arthritis',
  'osteoarthritis', 'osteoporosis', 'lupus', 'fibromyalgia', 'gout', 'psoriasis', 'eczema', 'dermatitis', 'celiac',
  "crohn's", 'crohns', 'colitis', 'ulcerative colitis', 'ibs', 'irritable bowel syndrome', 'gerd', 'acid reflux',
  'ulcer', 'gastritis', 'appendicitis', 'gallstones', 'pancreatitis', 'hypothyroidism', 'hyperthyroidism',
  'thyroid disease', 'anemia', 'anaemia', 'sickle cell', 'hemophilia', 'high cholesterol', 'obesity', 'covid',
  'covid-19', 'coronavirus', 'long covid', 'influenza', 'the flu', 'strep throat', 'sinus infection', 'ear infection',
  'urinary tract infection', 'uti', 'yeast infection', 'chlamydia', 'gonorrhea', 'syphilis', 'herpes',
  'hpv', 'sexually transmitted', 'skin rash', 'lump in my', 'miscarriage', 'infertility', 'endometriosis', 'pcos', 'menopause', 'erectile dysfunction', 'concussion',
  'fracture', 'torn acl', 'torn meniscus', 'herniated disc', 'back pain', 'chronic pain', 'neuropathy', 'glaucoma',
  'cataract', 'macular degeneration', 'tinnitus', 'hearing loss', 'allergy', 'allergies', 'allergic reaction',
  'anaphylaxis', 'addiction', 'alcoholism', 'substance abuse', 'overdose', 'opioid use disorder', 'suicidal thoughts',
  'self-harm', 'cerebral palsy', 'down syndrome', 'cystic fibrosis', 'muscular dystrophy', 'scoliosis', 'hernia',
  'shingles', 'measles', 'mumps', 'chickenpox', 'malaria', 'dengue', 'sepsis', 'blood clot', 'deep vein thrombosis',
  'dvt', 'embolism', 'aneurysm', 'ovarian cyst', 'polyps', 'fever', 'cough', 'sore throat', 'headache', 'nausea',
  'vomiting', 'diarrhea', 'diarrhoea', 'constipation', 'chest pain', 'shortness of breath', 'dizziness', 'vertigo',
  'hives', 'swelling', 'numbness', 'palpitations', 'blurred vision', 'tendonitis', 'sciatica', 'pregnant', 'pregnancy', 'high blood sugar', 'low blood sugar', 'hypoglycemia',
  'hyperglycemia', 'kidney infection', 'bladder infection', 'pink eye', 'conjunctivitis', 'acne', 'warts', 'cyst', 'sprained ankle', 'broken leg', 'broken arm', 'broken wrist', 'sprain', 'obstructive sleep apnea',
];

export const MEDICATIONS = [
  'acetaminophen', 'tylenol', 'ibuprofen', 'advil', 'motrin', 'aspirin', 'naproxen', 'aleve', 'paracetamol',
  'metformin', 'insulin', 'glipizide', 'januvia', 'ozempic', 'semaglutide', 'wegovy', 'mounjaro', 'tirzepatide',
  'trulicity', 'jardiance', 'lisinopril', 'losartan', 'amlodipine', 'metoprolol', 'atenolol', 'carvedilol',
  'hydrochlorothiazide', 'furosemide', 'lasix', 'spironolactone', 'atorvastatin', 'lipitor', 'simvastatin',
  'rosuvastatin', 'crestor', 'pravastatin', 'warfarin', 'coumadin', 'eliquis', 'apixaban', 'xarelto', 'rivaroxaban',
  'clopidogrel', 'plavix', 'heparin', 'levothyroxine', 'synthroid', 'prednisone', 'prednisolone', 'dexamethasone',
  'hydrocortisone', 'albuterol', 'ventolin', 'inhaler', 'advair', 'symbicort', 'singulair', 'montelukast',
  'amoxicillin', 'augmentin', 'azithromycin', 'zithromax', 'z-pack', 'z-pak', 'ciprofloxacin', 'cipro', 'doxycycline',
  'cephalexin', 'keflex', 'penicillin', 'clindamycin', 'metronidazole', 'flagyl', 'bactrim', 'nitrofurantoin',
  'antibiotic', 'antibiotics', 'antiviral', 'tamiflu', 'paxlovid', 'acyclovir', 'valacyclovir', 'valtrex',
  'sertraline', 'zoloft', 'fluoxetine', 'prozac', 'escitalopram', 'lexapro', 'citalopram', 'celexa', 'paroxetine',
  'paxil', 'bupropion', 'wellbutrin', 'venlafaxine', 'effexor', 'duloxetine', 'cymbalta', 'trazodone', 'mirtazapine',
  'antidepressant', 'antidepressants', 'lamotrigine', 'lamictal', 'quetiapine', 'seroquel', 'aripiprazole',
  'abilify', 'risperidone', 'olanzapine', 'alprazolam', 'xanax', 'lorazepam', 'ativan', 'clonazepam', 'klonopin',
  'diazepam', 'valium', 'zolpidem', 'ambien', 'adderall', 'ritalin', 'methylphenidate', 'vyvanse', 'gabapentin',
  'neurontin', 'pregabalin', 'lyrica', 'tramadol', 'oxycodone', 'hydrocodone', 'vicodin', 'percocet', 'morphine',
  'fentanyl', 'codeine', 'methadone', 'buprenorphine', 'suboxone', 'naloxone', 'narcan', 'opioids', 'painkillers',
  'omeprazole', 'prilosec', 'pantoprazole', 'nexium', 'esomeprazole', 'famotidine', 'pepcid', 'ranitidine', 'zantac',
  'ondansetron', 'zofran', 'loratadine', 'claritin', 'cetirizine', 'zyrtec', 'benadryl', 'diphenhydramine', 'epipen',
  'epinephrine', 'sumatriptan', 'imitrex', 'topiramate', 'methotrexate', 'humira', 'adalimumab', 'enbrel', 'remicade',
  'keytruda', 'tamoxifen', 'birth control', 'contraceptive', 'contraceptives', 'viagra', 'sildenafil', 'cialis',
  'finasteride', 'estradiol', 'testosterone', 'hormone replacement', 'antihistamine', 'antihistamines', 'steroids',
  'statin', 'statins', 'beta blocker', 'beta blockers', 'blood thinner', 'blood thinners', 'medication',
  'medications', 'medicine', 'meds', 'pills', 'vaccine', 'flu shot', 'booster shot', 'antacid', 'cough syrup',
  'eye drops', 'nasal spray', 'melatonin', 'vitamin d', 'iron supplements',
];

export const PROCEDURES = [
  'surgery', 'chemotherapy', 'chemo', 'radiation therapy', 'radiotherapy', 'dialysis', 'transplant', 'biopsy', 'mri',
  'ct scan', 'cat scan', 'pet scan', 'x-ray', 'xray', 'ultrasound', 'mammogram', 'colonoscopy', 'endoscopy',
  'blood test', 'blood tests', 'blood work', 'bloodwork', 'a1c', 'ecg', 'ekg', 'echocardiogram', 'physical therapy',
  'physiotherapy', 'psychotherapy', 'therapy', 'counseling', 'counselling', 'rehab', 'c-section', 'hysterectomy',
  'mastectomy', 'appendectomy', 'angioplasty', 'bypass surgery', 'knee replacement', 'hip replacement', 'ivf',
  'abortion', 'stitches', 'vaccination', 'physical exam', 'pap smear', 'sleep study', 'urine test', 'covid test', 'pregnancy test', 'drug test', 'root canal', 'tooth extraction',
];

/**
 * Symptoms, body-specific conditions and health words asked about in questions ("Can X cause Y?",
 * "Is it normal to have Z?"). Like the lists above they count only with a context word or another
 * term close by.
 */
export const SYMPTOMS = [
  'pain', 'painful', 'ache', 'aches', 'aching', 'hurts', 'hurting', 'soreness', 'itching', 'itchy', 'itch', 'rash',
  'rashes', 'swollen', 'swelling', 'bleeding', 'bruise', 'bruising', 'bruised', 'lump', 'blister', 'blisters', 'numb',
  'tingling', 'tingly', 'cramps', 'cramping', 'spotting', 'inflammation', 'inflamed', 'infection', 'infected',
  'irritation', 'pus', 'pimple', 'pimples', 'zits', 'scars', 'scarring', 'sneezing', 'coughing', 'wheezing',
  'constipated', 'bloating', 'bloated', 'heartburn', 'indigestion', 'fatigue', 'dizzy', 'lightheaded', 'fainting',
  'fainted', 'nauseous', 'vomit', 'vomited', 'puking', 'diarrhoea', 'migraines', 'sore throat', 'runny nose',
  'stuffy nose', 'nosebleed', 'nosebleeds', 'shortness of breath', 'short of breath', 'breathlessness', 'chest tightness',
  'discharge from', 'vaginal discharge', 'burning sensation', 'urinating', 'urination', 'urinate', 'bowel movement',
  'bowel movements', 'stools', 'mucus', 'phlegm', 'hair loss', 'weight loss', 'weight gain', 'lose weight', 'losing weight',
  'gain weight', 'overweight', 'underweight', 'obese', 'injury', 'injuries', 'injured', 'sprained', 'fractured',
  'dislocated', 'torn ligament', 'sunburn', 'insect bite', 'bug bite', 'bug bites', 'spider bite', 'dog bite',
  'bee sting', 'anxiety', 'anxious', 'panic attacks', 'depressed', 'suicidal', 'insomnia', 'nightmares',
  'ovulation', 'ovulating', 'menstrual', 'menstruation', 'menstrual cycle', 'my period', 'her period', 'periods',
  'missed period', 'pms', 'menopause', 'puberty', 'pregnant', 'conceive', 'conceiving', 'fertility', 'ivf',
  'miscarriage', 'erection', 'erections', 'ejaculation', 'libido', 'sperm', 'semen', 'unprotected sex', 'intercourse',
  'std', 'stds', 'sti', 'stis', 'hemorrhoid', 'hemorrhoids', 'haemorrhoids', 'abscess', 'sinusitis', 'sinuses',
  'sinus', 'bursitis', 'tendinitis', 'cyst', 'cysts', 'wart', 'moles', 'hives', 'dandruff', 'ringworm', 'fungal',
  'thrush', 'lice', 'scabies', 'eczema', 'rosacea', 'psoriasis', 'dermatitis', 'cellulitis', 'impetigo', 'stye',
  'diabetes insipidus', 'thyroid', 'cholesterol', 'triglycerides', 'blood sugar', 'blood pressure', 'heart rate',
  'pulse', 'hemoglobin', 'haemoglobin', 'platelets', 'white blood cells', 'red blood cells', 'liver function',
  'kidney function', 'vitamin deficiency', 'deficiency', 'dehydration', 'dehydrated', 'malnutrition', 'nutrition',
  'metabolism', 'hormones', 'hormonal', 'hormone', 'estrogen', 'progesterone', 'insulin resistance', 'blood clots',
  'varicose veins', 'hepatitis a', 'hepatitis b', 'hepatitis c', 'hep a', 'hep b', 'hep c', 'hiv', 'aids', 'hpv',
  'strep', 'flu', 'cold sore', 'cold sores', 'canker sore', 'canker sores', 'ulcers', 'tonsillitis', 'laryngitis',
  'pneumonia', 'vertigo', 'tinnitus', 'adhd', 'autism', 'ocd', 'ptsd', 'bipolar', 'schizophrenia', 'dementia',
  'seizures', 'epileptic', 'stroke', 'tumors', 'tumours', 'benign', 'malignant', 'cancerous', 'metastasis', 'chemo',
  'tuberculosis', 'asthmatic', 'allergies', 'lactose intolerant', 'lactose intolerance', 'gluten intolerance',
  'food poisoning', 'stomach ache', 'stomachache', 'stomach pain', 'stomach flu', 'toothache', 'back pain', 'joint pain',
  'knee pain', 'neck pain', 'chest pain', 'headaches', 'hangover', 'concussion', 'whiplash', 'scoliosis', 'arthritis',
  'osteoporosis', 'gout', 'carpal tunnel', 'plantar fasciitis', 'shin splints', 'sciatica', 'herniated', 'hernia',
  'birth defect', 'congenital', 'genetic disorder', 'disorder', 'syndrome', 'disease', 'diseases', 'illness',
  'illnesses', 'infections', 'virus infection', 'viral infection', 'bacterial infection', 'contagious', 'immune system',
  'immunity', 'vaccinated', 'vaccines', 'diagnose', 'prognosis', 'recovery time', 'healing', 'heal',
  'home remedy', 'home remedies', 'calories', 'diet',
  'dieting', 'keto', 'vegan diet', 'supplement', 'supplements', 'vitamins', 'vitamin', 'probiotics', 'protein intake',
  'exercises', 'stretches', 'sleeping pills', 'overdose', 'withdrawal symptoms', 'smoking', 'quit smoking', 'nicotine',
  'alcohol', 'drinking alcohol', 'caffeine',
];

/**
 * Body parts: evidence only next to another medical term ("pain in my knee", "rash on the arm"),
 * never with a context word alone ("my heart is set on it", "head of sales", "a joint account").
 */
export const ANATOMY = [
  'head', 'scalp', 'forehead', 'face', 'eye', 'eyes', 'eyelid', 'eyelids', 'ear', 'ears', 'nose', 'nostril', 'mouth',
  'lip', 'lips', 'tongue', 'tooth', 'teeth', 'gum', 'gums', 'jaw', 'throat', 'tonsils', 'neck', 'shoulder',
  'shoulders', 'arm', 'arms', 'armpit', 'elbow', 'wrist', 'hand', 'hands', 'finger', 'fingers', 'thumb', 'nail',
  'nails', 'toenail', 'chest', 'breast', 'breasts', 'nipple', 'nipples', 'rib', 'ribs', 'lungs', 'lung', 'heart',
  'stomach', 'abdomen', 'abdominal', 'belly', 'navel', 'bowel', 'bowels', 'colon', 'intestine', 'intestines', 'liver',
  'kidney', 'kidneys', 'bladder', 'gallbladder', 'pancreas', 'spleen', 'appendix', 'spine', 'lower back', 'upper back',
  'hip', 'hips', 'groin', 'pelvis', 'pelvic', 'genitals', 'genital', 'penis', 'testicle', 'testicles', 'scrotum',
  'vagina', 'vaginal', 'vulva', 'labia', 'uterus', 'cervix', 'ovary', 'ovaries', 'prostate', 'anus', 'anal', 'rectum',
  'rectal', 'buttocks', 'thigh', 'thighs', 'leg', 'legs', 'knee', 'knees', 'calf', 'calves', 'shin', 'ankle',
  'ankles', 'foot', 'feet', 'heel', 'toe', 'toes', 'skin', 'muscle', 'muscles', 'bone', 'bones', 'joints', 'ligament',
  'tendon', 'nerve', 'nerves', 'brain', 'blood', 'veins', 'artery', 'arteries', 'gland', 'glands', 'lymph nodes',
  'lymph node', 'thyroid gland', 'urine', 'stool', 'body',
];

/** health-record context: these phrases are medical on their own */
export const RECORD_PHRASES = [
  'medical record', 'medical records', 'medical history', 'health record', 'health records', 'patient id',
  'patient number', 'patient chart', 'patient portal', 'medical record number', 'mrn', 'diagnosis code', 'icd-10',
  'icd10', 'lab results', 'blood test results', 'test results came back', 'discharge summary', 'prescription number',
  'rx number', 'diagnosed with', 'was diagnosed', 'been diagnosed', 'my diagnosis', 'prescribed me', 'was prescribed',
  'been prescribed', 'my prescription', 'refill my prescription', 'prescription refill', 'medical condition',
  'pre-existing condition', 'preexisting condition', 'health condition', 'my symptoms', 'side effects',
  'family history of', 'my oncologist', 'my cardiologist', 'my psychiatrist', 'my therapist', 'my dermatologist',
  'my neurologist', 'my endocrinologist', 'my gynecologist', 'my obgyn', 'my pediatrician', 'my primary care',
  'medical leave', 'sick leave', 'disability claim', 'health insurance claim', 'hipaa',
];

/**
 * Context words: a lexicon term within a few words of one of these is about someone's health.
 * "my" and "have/had" carry most of the signal in speech ("my asthma", "I have diabetes").
 */
export const CUES = [
  'i have', "i've got", "i've had", 'i had', 'i got', 'has', 'have', 'had', 'having', 'diagnosed', 'diagnosis',
  'prescribed', 'prescription', 'taking', 'take', 'takes', 'took', "i'm on", 'i am on', "she's on", "he's on", 'on my',
  'suffer', 'suffers', 'suffering', 'suffered', 'treated', 'treatment', 'treating', 'symptoms', 'symptom', 'doctor',
  'doctors', 'dr', 'physician', 'gp', 'nurse', 'hospital', 'hospitalized', 'clinic', 'emergency room', 'urgent care',
  'medication', 'medicine', 'meds', 'condition', 'chronic', 'patient', 'surgeon', 'pharmacy', 'pharmacist', 'dose',
  'dosage', 'mg', 'milligrams', 'refill', 'allergic', 'tested positive', 'positive for', 'negative for', 'my', 'his',
  'history of', 'struggle with', 'struggling with', 'battling', 'recovering from', 'recovery from', 'flare', 'flare-up',
  'relapse', 'remission', 'scheduled for', 'appointment', 'mild', 'severe', 'acute', 'stage', 'caused by', 'cure for',
  'for my', 'sick with', 'came down with', 'ill with', 'infected', 'pain', 'hurts', 'bleeding',
  // health questions: "Can X cause Y?", "Is it normal to …", "How do I treat …"
  'cause', 'causes', 'causing', 'caused', 'treat', 'treated', 'cure', 'heal', 'normal', 'safe', 'dangerous', 'serious',
  'worried', 'concerned', 'noticed', 'feel', 'feeling', 'felt', 'experiencing', 'experience', 'get rid of', 'relieve',
  'relief', 'prevent', 'help with', 'signs of', 'risk of', 'risks of', 'effects of', 'side effect', 'developed',
  'getting', 'been having', 'i think i have', 'affect', 'worse', 'worsen', 'improve',
  'recover', 'swollen', 'sore', 'lately', 'for months', 'for weeks', 'for days',
];

/** cues that only count before a term */
export const POSSESSIVE_CUES: ReadonlySet<string> = new Set(['my', 'his', 'for my', 'on my']);

export type MedicalKind = 'medical.record' | 'medical.condition' | 'medical.medication' | 'medical.procedure' | 'medical.anatomy';

/** term → kind; record phrases win over the other lists when a term is in several */
export const MEDICAL_KIND_OF = new Map<string, MedicalKind>();
for (const [terms, kind] of [
  [ANATOMY, 'medical.anatomy'],
  [SYMPTOMS, 'medical.condition'],
  [PROCEDURES, 'medical.procedure'],
  [MEDICATIONS, 'medical.medication'],
  [CONDITIONS, 'medical.condition'],
  [RECORD_PHRASES, 'medical.record'],
] as const) {
  for (const t of terms) MEDICAL_KIND_OF.set(t, kind);
}

/** units that make the number before them a dosage ("500 mg") */
export const DOSAGE_UNITS = ['mg', 'mcg', 'milligram', 'milligrams', 'microgram', 'micrograms', 'ml'];
