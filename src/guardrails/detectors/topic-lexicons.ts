/**
 * Domain vocabularies for off_topic. A project's `topic` / `allowed_topics` pull in every domain whose
 * trigger words they mention ("banking support" → banking), plus the literal words they contain.
 */

export interface TopicDomain {
  triggers: string[];
  words: string[];
}

const w = (s: string) => s.trim().split(/\s*,\s*/);

export const TOPIC_DOMAINS: Record<string, TopicDomain> = {
  banking: {
    triggers: w('bank, banking, finance, financial, fintech, credit union, payments, cards, account, accounts'),
    words: w(`account, balance, card, debit, credit, transfer, payment, pay, paid, deposit, withdraw, withdrawal, atm, cash,
      pin, statement, transaction, charge, charged, fee, fees, interest, loan, mortgage, overdraft, savings, checking,
      wire, bank, branch, cheque, check, fraud, dispute, refund, limit, currency, exchange rate, top up, top-up, topup,
      apple pay, google pay, contactless, virtual card, verify, verification, identity, passcode, password, login,
      app, direct debit, standing order, beneficiary, payee, iban, swift, routing, salary, cashback, rewards, freeze,
      frozen, lost, stolen, expire, expiry, replacement, activate, declined, pending, merchant, purchase, receipt,
      money, funds, crypto, investment, transfer, pound, euro, dollar, visa, mastercard, chargeback, bill, billing`),
  },
  telecom: {
    triggers: w('telecom, mobile, phone plan, internet, broadband, wireless, carrier, isp, cable, fiber, network'),
    words: w(`plan, data, roaming, sim, esim, signal, coverage, network, internet, wifi, router, modem, speed, outage,
      bill, billing, upgrade, phone, device, contract, unlimited, minutes, texts, hotspot, port, number, carrier,
      fiber, broadband, cable, tv, channel, line, lines, installation, technician, reset, reboot, connection, disconnect, 5g, 4g,
      lte, voicemail, prepaid, postpaid, activation, unlock`),
  },
  healthcare: {
    triggers: w('health, healthcare, clinic, medical, hospital, doctor, dental, dentist, pharmacy, patient, care'),
    words: w(`appointment, doctor, clinic, visit, prescription, refill, pharmacy, insurance, copay, symptoms, test,
      results, referral, checkup, dentist, cleaning, vaccine, schedule, reschedule, cancel, patient, nurse,
      specialist, medication, pain, emergency, urgent care, telehealth, lab, blood, exam, physician, therapy`),
  },
  retail: {
    triggers: w('retail, store, shop, shopping, ecommerce, e-commerce, order, orders, delivery, shipping, returns'),
    words: w(`order, delivery, deliver, shipping, ship, shipped, package, parcel, tracking, return, refund, exchange,
      size, color, stock, item, product, price, discount, coupon, promo, sale, cart, checkout, warranty, receipt,
      store, pickup, courier, arrive, arrived, late, damaged, missing, wrong, replacement, cancel, purchase, bought`),
  },
  travel: {
    triggers: w('travel, airline, flight, flights, hotel, booking, trip, vacation, cruise, tour, rental'),
    words: w(`flight, booking, book, reservation, ticket, seat, baggage, luggage, bag, check in, boarding, gate, delay,
      delayed, cancel, cancelled, refund, change, upgrade, hotel, room, checkout, airport, passport, visa, itinerary,
      trip, destination, departure, arrival, miles, points, rental, car, cruise, tour, layover, connection`),
  },
  restaurant: {
    triggers: w('restaurant, food, dining, takeout, pizza, cafe, catering, menu, delivery'),
    words: w(`menu, order, table, reservation, book, pizza, burger, salad, drink, drinks, dessert, vegan, vegetarian,
      gluten, allergy, pickup, delivery, takeout, hours, open, close, special, dish, meal, lunch, dinner, breakfast,
      party, seating, wait, catering, topping, sauce, side`),
  },
  insurance: {
    triggers: w('insurance, insurer, claims, policy, policies, coverage'),
    words: w(`policy, claim, coverage, premium, deductible, quote, renewal, accident, damage, adjuster, beneficiary,
      insured, liability, collision, comprehensive, home, auto, car, life, health, renters, flood, theft, payout,
      cancel, document, documents, agent`),
  },
  tech_support: {
    triggers: w('software, saas, tech support, it support, technical support, app, product support, helpdesk'),
    words: w(`login, log in, password, reset, account, app, install, update, upgrade, error, bug, crash, crashes,
      slow, license, subscription, plan, download, sync, settings, browser, computer, laptop, windows, mac, android,
      iphone, email, feature, integration, api, export, import, backup, restore, screen, click, button, version`),
  },
  utilities: {
    triggers: w('utility, utilities, energy, electricity, gas, water, power, solar'),
    words: w(`meter, reading, bill, billing, outage, power, electricity, gas, water, tariff, usage, kwh, supply,
      connection, disconnect, move, moving, account, payment, solar, boiler, leak, emergency, smart meter, rate`),
  },
  real_estate: {
    triggers: w('real estate, property, properties, rental, rentals, leasing, landlord, apartment, housing'),
    words: w(`apartment, house, home, property, rent, lease, tenant, landlord, viewing, showing, mortgage, deposit,
      bedroom, bathroom, listing, price, offer, agent, maintenance, repair, move in, move out, utilities, parking`),
  },
  education: {
    triggers: w('education, school, university, college, course, courses, tutoring, enrollment, admissions'),
    words: w(`course, class, classes, enrollment, enroll, admission, application, tuition, fees, scholarship, exam,
      grade, grades, semester, schedule, teacher, professor, student, campus, degree, transcript, deadline, lesson`),
  },
  automotive: {
    triggers: w('automotive, car, cars, dealership, vehicle, vehicles, auto repair, garage'),
    words: w(`car, vehicle, service, oil change, tire, tires, brake, brakes, engine, repair, appointment, test drive,
      lease, financing, trade in, warranty, recall, mileage, parts, dealer, model, inspection, battery`),
  },
};

/** words any customer call uses whatever its topic: never evidence of drifting off topic */
export const SERVICE_WORDS = w(`help, question, questions, problem, issue, agent, representative, human, person, manager,
  supervisor, complaint, speak, talk, call, calling, callback, email, phone, number, name, address, hours, open, price,
  cost, pay, account, appointment, cancel, information, details, update, status, thanks, thank, hello, goodbye`);

/** words of a topic description too generic to be evidence ("home internet" is not about homes) */
export const GENERIC_TOPIC_WORDS = new Set(
  w(`home, plan, plans, service, services, support, customer, customers, help, helpdesk, general, questions, information,
  company, team, desk, center, centre, care, assistant, agent, line, calls, inquiries, enquiries, related, other, new`),
);

/** words that carry no topic */
export const STOPWORDS = new Set(
  w(`a, an, the, and, or, but, if, then, so, of, to, in, on, at, by, for, with, from, as, is, are, was, were, be, been,
  being, am, do, does, did, have, has, had, i, you, he, she, it, we, they, me, him, her, us, them, my, your, his, its,
  our, their, this, that, these, those, what, which, who, whom, how, why, when, where, can, could, would, should, will,
  shall, may, might, must, not, no, yes, yeah, yep, okay, ok, please, just, really, very, also, too, about, like, some,
  any, all, there, here, than, into, out, up, down, over, again, more, most, much, many, other, such, only, own, same,
  um, uh, hmm, oh, well, actually, maybe, sure, right, know, think, want, need, get, got, tell, say, said, let, make,
  go, going, one, two, now, today, tomorrow, something, anything, everything, thing, things, way, good, great, hi, hey`),
);
