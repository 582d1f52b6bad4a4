"""Build the bundled training exercises, ``checklists/exercises/bundled.json``, from this source.

    python scripts/build_exercises.py          # write the file
    python scripts/build_exercises.py --check  # exit 1 when the file is out of date

Each vignette is drawn from a documented behaviour (see /work/shared/domain.md: Malmström's
study of financiers' questions, Riksrevisionen 2019:7 on mixed teams, the Status of Women
testimony on extra documents, Regulation B's list of prohibited practices). The exercises are read
with the same reader as an imported file, bound to version 1 of the bundled checklists, so the
file is valid and canonical by construction.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.enums import Language  # noqa: E402
from app.exchange.exercise_format import exercises_text, read_exercises  # noqa: E402
from app.exchange.json_format import read_template_file  # noqa: E402

OUTPUT = ROOT / "checklists" / "exercises" / "bundled.json"
CHECKLISTS = {"credit_decision": ROOT / "checklists" / "credit-decision.json",
              "advice_meeting": ROOT / "checklists" / "advice-meeting.json"}


def t(en: str, sv: str, fr: str) -> dict[str, str]:
    return {Language.EN.value: en, Language.SV.value: sv, Language.FR.value: fr}


CREDIT = {"key": "credit_decision", "version": 1}
ADVICE = {"key": "advice_meeting", "version": 1}

# --- debriefs used more than once -------------------------------------------------------------------
SELF_CHECK = t(
    "The self-reflection is the swap test: picture the same case with a client of another gender. "
    "When the honest answer is “no” or “unsure”, the checklist flags it so that the case is looked at again.",
    "Självreflektionen är bytestestet: tänk dig samma ärende med en kund av ett annat kön. "
    "När det ärliga svaret är ”nej” eller ”osäker” flaggar checklistan det, så att ärendet granskas en gång till.",
    "L'auto-évaluation est le test d'inversion : imaginez le même dossier avec un client de l'autre sexe. "
    "Si la réponse honnête est « non » ou « incertain », la liste le signale pour que le dossier soit revu.")

EXERCISES: list[dict[str, Any]] = [
    {
        "key": "family-plans",
        "title": t("A question about family plans", "En fråga om familjeplaner", "Une question sur les projets familiaux"),
        "template": CREDIT,
        "vignette": t(
            "Sara Lind, 34, runs a graphic design studio as a sole trader. She asks for SEK 250,000 to buy "
            "equipment and hire her first employee. Her accounts for the last two years are sound and her "
            "order book is full for six months.\n\n"
            "During the meeting the credit officer goes through her figures and asks about her market and "
            "her plans to grow. Towards the end he asks: “Are you planning to have children in the next few "
            "years? Who would run the studio then?” The bank's procedure does not include such questions, and "
            "he does not usually ask them of the male clients he meets.\n\n"
            "The loan is granted in full on standard terms two weeks later, without collateral or guarantee.",
            "Sara Lind, 34 år, driver en grafisk designbyrå som enskild näringsidkare. Hon söker 250 000 kr för "
            "att köpa utrustning och anställa sin första medarbetare. Bokslutet för de två senaste åren är "
            "stabilt och orderboken är full i sex månader.\n\n"
            "Under mötet går kredithandläggaren igenom hennes siffror och frågar om marknaden och hennes "
            "tillväxtplaner. Mot slutet frågar han: ”Planerar du att skaffa barn de närmaste åren? Vem skulle "
            "driva byrån då?” Bankens rutiner innehåller inga sådana frågor, och han brukar inte ställa dem till "
            "de manliga kunder han träffar.\n\n"
            "Lånet beviljas i sin helhet på standardvillkor två veckor senare, utan säkerhet eller borgen.",
            "Sara Lind, 34 ans, dirige un studio de design graphique en entreprise individuelle. Elle demande "
            "250 000 SEK pour acheter du matériel et embaucher son premier salarié. Ses comptes des deux "
            "dernières années sont sains et son carnet de commandes est plein pour six mois.\n\n"
            "Pendant l'entretien, le chargé de crédit passe ses chiffres en revue et l'interroge sur son marché "
            "et ses projets de croissance. Vers la fin, il demande : « Prévoyez-vous d'avoir des enfants dans les "
            "prochaines années ? Qui dirigerait le studio alors ? » La procédure de la banque ne prévoit pas ces "
            "questions, et il ne les pose habituellement pas aux clients masculins qu'il reçoit.\n\n"
            "Le prêt est accordé en totalité aux conditions standard deux semaines plus tard, sans garantie ni caution."),
        "facts": {"case_date": "2026-03-02", "ownership": "women_led", "sector": "professional_services",
                  "legal_form": "sole_trader", "amount_requested": "250000", "amount_granted": "250000",
                  "currency": "SEK", "collateral_required": False, "personal_guarantee_required": False,
                  "interest_rate": "6.5", "decision": "granted", "decision_date": "2026-03-16",
                  "meeting_type": "credit_decision", "application_complete": True, "standard_rate": "6.5"},
        "model_answers": {
            "meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
            "family_questions": "this_client", "growth_questions": "yes", "standard_documents": "yes",
            "selective_encouragement": "same", "written_criteria": "yes", "plan_strength": 4,
            "exception_made": "no", "term_deviations": "none", "steered_to_microcredit": "no",
            "processing_time_normal": "yes", "servicing_equal": "not_yet", "same_advice": "no", "same_terms": "yes"},
        "debrief": {
            "family_questions": t(
                "Flag. The question about children was not routine and is not asked of men: it is the "
                "“hindering” kind of question financiers put to women more often (Malmström). Even with a "
                "good outcome, it tells the client her family is a risk.",
                "Flagga. Frågan om barn var inte rutin och ställs inte till män: det är den sortens "
                "”hindrande” fråga som finansiärer oftare ställer till kvinnor (Malmström). Även när utfallet "
                "blir bra signalerar den att hennes familj är en risk.",
                "Signalement. La question sur les enfants n'était pas routinière et n'est pas posée aux hommes : "
                "c'est le type de question « freinante » que les financeurs posent plus souvent aux femmes "
                "(Malmström). Même avec une issue favorable, elle dit à la cliente que sa famille est un risque."),
            "growth_questions": t(
                "No flag: growth and market questions were asked, as they should be of every client.",
                "Ingen flagga: frågor om tillväxt och marknad ställdes, som de ska till alla kunder.",
                "Pas de signalement : les questions sur la croissance et le marché ont été posées, comme à tout client."),
            "same_advice": SELF_CHECK,
        },
    },
    {
        "key": "mixed-team",
        "title": t("A mixed team: who did the advisor talk to?", "Ett blandat team: vem pratade rådgivaren med?",
                   "Une équipe mixte : à qui le conseiller s'est-il adressé ?"),
        "template": ADVICE,
        "vignette": t(
            "Three members of a café and bakery cooperative come to an advice meeting about financing a second "
            "outlet: Amira, who chairs the board and runs the daily operations, Lena, who keeps the books, and "
            "Johan, who bakes.\n\n"
            "Amira presents the plan and answers most questions. The advisor nevertheless turns to Johan after "
            "each point, asks him to confirm the figures and hands him the brochures about guarantee funds. "
            "Growth, market and the usual documents are discussed as with any client, and a follow-up meeting is "
            "booked. The advisor's notes describe the business in ordinary business terms.",
            "Tre medlemmar i ett kooperativ med kafé och bageri kommer till ett rådgivningsmöte om finansiering "
            "av ett andra försäljningsställe: Amira, som är styrelseordförande och leder den dagliga driften, "
            "Lena, som sköter bokföringen, och Johan, som bakar.\n\n"
            "Amira presenterar planen och svarar på de flesta frågorna. Rådgivaren vänder sig ändå till Johan "
            "efter varje punkt, ber honom bekräfta siffrorna och ger honom broschyrerna om garantifonder. "
            "Tillväxt, marknad och de vanliga handlingarna gås igenom som med alla kunder, och ett uppföljningsmöte "
            "bokas. Rådgivarens anteckningar beskriver verksamheten i vanliga affärstermer.",
            "Trois membres d'une coopérative de café-boulangerie viennent à un rendez-vous de conseil pour financer "
            "un second point de vente : Amira, présidente du conseil et responsable de l'exploitation, Lena, qui "
            "tient la comptabilité, et Johan, qui fait le pain.\n\n"
            "Amira présente le projet et répond à la plupart des questions. Le conseiller se tourne pourtant vers "
            "Johan après chaque point, lui demande de confirmer les chiffres et lui remet les brochures sur les "
            "fonds de garantie. La croissance, le marché et les pièces habituelles sont abordés comme avec tout "
            "client, et un rendez-vous de suivi est fixé. Les notes du conseiller décrivent l'activité en termes "
            "professionnels ordinaires."),
        "facts": {"case_date": "2026-04-14", "ownership": "mixed", "sector": "hospitality",
                  "legal_form": "cooperative", "amount_requested": "900000", "currency": "SEK",
                  "meeting_type": "advice_meeting"},
        "model_answers": {
            "meeting_attendees": "team", "addressed_whom": "one_co_owner", "same_information": "yes",
            "neutral_language": "yes", "family_questions": "no", "growth_questions": "yes",
            "standard_documents": "yes", "sector_judgement": "market_evidence", "selective_encouragement": "same",
            "discouraged": "no", "steered_to_microcredit": "no", "follow_up_offered": "yes", "same_advice": "unsure"},
        "debrief": {
            "addressed_whom": t(
                "Flag. The person who runs the business presented the plan, yet the advisor addressed the one man "
                "in the team. Address whoever leads the business, or everyone equally. Riksrevisionen also warns "
                "against counting a mixed team as either group: record it as “mixed”.",
                "Flagga. Den som leder verksamheten presenterade planen, men rådgivaren vände sig till den ende "
                "mannen i teamet. Vänd dig till den som leder verksamheten, eller till alla lika. Riksrevisionen "
                "varnar också för att räkna ett blandat team till någon av grupperna: registrera det som ”blandat”.",
                "Signalement. C'est la responsable de l'activité qui a présenté le projet, mais le conseiller s'est "
                "adressé au seul homme de l'équipe. Adressez-vous à la personne qui dirige, ou à tous également. "
                "Le Riksrevisionen met aussi en garde contre le classement d'une équipe mixte dans l'un des deux "
                "groupes : enregistrez-la comme « mixte »."),
            "same_information": t(
                "No flag: the information itself was complete; the problem was to whom it was given.",
                "Ingen flagga: själva informationen var fullständig; problemet var vem den gavs till.",
                "Pas de signalement : l'information était complète ; le problème était à qui elle était donnée."),
            "same_advice": SELF_CHECK,
        },
    },
    {
        "key": "care-low-growth",
        "title": t("A care business judged “low growth”", "Ett omsorgsföretag bedöms som ”lågväxande”",
                   "Une entreprise de soins jugée « à faible croissance »"),
        "template": ADVICE,
        "vignette": t(
            "Two nurses have run a home-care company as a limited company for three years. They have framework "
            "contracts with two municipalities and a waiting list of clients, and want advice on financing SEK "
            "600,000 to expand to a third municipality.\n\n"
            "The advisor does not ask about their contracts, the demand or their plans to grow. He says that "
            "care “is a typical women's sector with low growth and thin margins” and calls the company “a nice "
            "little care business”. He does not suggest the growth loan or the guarantee scheme he usually "
            "presents to expanding firms, but he gives them the standard information pack and offers to meet "
            "again.",
            "Två sjuksköterskor har drivit ett hemtjänstföretag som aktiebolag i tre år. De har ramavtal med två "
            "kommuner och en kö av kunder, och vill ha råd om att finansiera 600 000 kr för att växa till en "
            "tredje kommun.\n\n"
            "Rådgivaren frågar inte om deras avtal, efterfrågan eller tillväxtplaner. Han säger att omsorg ”är en "
            "typisk kvinnobransch med låg tillväxt och små marginaler” och kallar företaget ”ett trevligt litet "
            "omsorgsföretag”. Han föreslår inte det tillväxtlån eller det garantiprogram han brukar presentera för "
            "företag som växer, men han ger dem det vanliga informationsmaterialet och erbjuder ett nytt möte.",
            "Deux infirmières dirigent depuis trois ans une société d'aide à domicile (société à responsabilité "
            "limitée). Elles ont des accords-cadres avec deux communes et une liste d'attente de clients, et "
            "veulent des conseils pour financer 600 000 SEK afin de s'étendre à une troisième commune.\n\n"
            "Le conseiller ne les interroge ni sur leurs contrats, ni sur la demande, ni sur leurs projets de "
            "croissance. Il dit que le soin « est un secteur typiquement féminin, à faible croissance et à marges "
            "étroites » et qualifie l'entreprise de « jolie petite affaire de soins ». Il ne propose pas le prêt de "
            "croissance ni le dispositif de garantie qu'il présente d'habitude aux entreprises en expansion, mais "
            "il leur remet la documentation habituelle et propose un nouveau rendez-vous."),
        "facts": {"case_date": "2026-05-05", "ownership": "women_led", "sector": "care_and_health",
                  "legal_form": "limited_company", "amount_requested": "600000", "currency": "SEK",
                  "meeting_type": "advice_meeting"},
        "model_answers": {
            "meeting_attendees": "team", "addressed_whom": "all_equally", "same_information": "yes",
            "neutral_language": "no", "family_questions": "no", "growth_questions": "no",
            "standard_documents": "yes", "sector_judgement": "gender_typed", "selective_encouragement": "less",
            "discouraged": "no", "steered_to_microcredit": "no", "follow_up_offered": "yes", "same_advice": "no"},
        "debrief": {
            "sector_judgement": t(
                "Flag. The sector was judged by being “typically female”, not by the evidence in front of the "
                "advisor: two municipal contracts and a waiting list. Judge a sector by market data and the plan's "
                "own figures.",
                "Flagga. Branschen bedömdes utifrån att den är ”typiskt kvinnlig”, inte utifrån underlaget "
                "rådgivaren hade framför sig: två kommunala avtal och en kundkö. Bedöm en bransch utifrån "
                "marknadsdata och planens egna siffror.",
                "Signalement. Le secteur a été jugé sur son caractère « typiquement féminin », non sur les éléments "
                "dont disposait le conseiller : deux contrats communaux et une liste d'attente. Jugez un secteur "
                "sur les données de marché et les chiffres du projet."),
            "growth_questions": t(
                "Flag. No question about growth or potential was asked, although the meeting was about growing. "
                "Men are more often asked such “promoting” questions (Malmström).",
                "Flagga. Ingen fråga om tillväxt eller potential ställdes, trots att mötet handlade om att växa. "
                "Män får oftare sådana ”främjande” frågor (Malmström).",
                "Signalement. Aucune question sur la croissance ou le potentiel n'a été posée, alors que "
                "l'entretien portait sur l'expansion. Les hommes reçoivent plus souvent ces questions « de "
                "promotion » (Malmström)."),
            "neutral_language": t(
                "Flag. “A nice little care business” belittles a company with three years of contracts.",
                "Flagga. ”Ett trevligt litet omsorgsföretag” förminskar ett företag med tre års avtal.",
                "Signalement. « Jolie petite affaire » minimise une entreprise qui a trois ans de contrats."),
            "selective_encouragement": t(
                "Flag. The growth loan and the guarantee scheme usually presented to expanding firms were left "
                "out: selective encouragement is one of the practices equal-credit rules name.",
                "Flagga. Tillväxtlånet och garantiprogrammet som brukar presenteras för växande företag utelämnades: "
                "selektiv uppmuntran är en av de metoder som regler om lika kreditgivning pekar ut.",
                "Signalement. Le prêt de croissance et la garantie habituellement présentés aux entreprises en "
                "expansion ont été omis : l'encouragement sélectif fait partie des pratiques visées par les règles "
                "d'égalité d'accès au crédit."),
            "same_advice": SELF_CHECK,
        },
    },
    {
        "key": "spouse-guarantee",
        "title": t("A spouse's guarantee demanded", "Borgen krävs av maken", "La caution du conjoint exigée"),
        "template": CREDIT,
        "vignette": t(
            "Maria Okafor owns and runs a cleaning company (a limited company with eight employees). She asks for "
            "SEK 400,000 to buy two vans; the vans are pledged as collateral, valued at SEK 450,000.\n\n"
            "The loan is granted, but on one condition: her husband, who has no role in the company and does not "
            "own any part of it, must sign a personal guarantee for the whole amount. The bank's product terms do "
            "not ask for a guarantee from a non-owner, and no reason is written in the file. Maria asks why; the "
            "officer answers that “it is safer with two incomes behind the loan”.",
            "Maria Okafor äger och driver ett städföretag (aktiebolag med åtta anställda). Hon söker 400 000 kr för "
            "att köpa två skåpbilar; bilarna pantsätts som säkerhet, värderade till 450 000 kr.\n\n"
            "Lånet beviljas, men på ett villkor: hennes make, som inte har någon roll i företaget och inte äger "
            "någon del av det, måste teckna personlig borgen för hela beloppet. Bankens produktvillkor kräver inte "
            "borgen av den som inte är ägare, och inget skäl är antecknat i akten. Maria frågar varför; "
            "handläggaren svarar att ”det är tryggare med två inkomster bakom lånet”.",
            "Maria Okafor possède et dirige une entreprise de nettoyage (société à responsabilité limitée, huit "
            "salariés). Elle demande 400 000 SEK pour acheter deux utilitaires ; les véhicules sont nantis en "
            "garantie, estimés à 450 000 SEK.\n\n"
            "Le prêt est accordé, à une condition : son mari, qui n'a aucun rôle dans l'entreprise et n'en détient "
            "aucune part, doit signer une caution personnelle pour la totalité. Les conditions du produit ne "
            "prévoient pas de caution d'une personne non associée, et aucun motif n'est noté au dossier. Maria "
            "demande pourquoi ; le chargé répond qu'« il est plus sûr d'avoir deux revenus derrière le prêt »."),
        "facts": {"case_date": "2026-02-09", "ownership": "women_led", "sector": "personal_services",
                  "legal_form": "limited_company", "amount_requested": "400000", "amount_granted": "400000",
                  "currency": "SEK", "collateral_required": True, "personal_guarantee_required": True,
                  "interest_rate": "6.5", "decision": "granted", "decision_date": "2026-02-20",
                  "meeting_type": "credit_decision", "application_complete": True, "collateral_value": "450000",
                  "guarantee_amount": "400000", "guarantor": "spouse_or_partner", "standard_rate": "6.5"},
        "model_answers": {
            "meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
            "family_questions": "no", "growth_questions": "yes", "standard_documents": "yes",
            "selective_encouragement": "same", "written_criteria": "yes", "plan_strength": 4,
            "exception_made": "yes", "exception_documented": "no", "collateral_standard": "above",
            "guarantee_from_whom": "not_same", "term_deviations": "unfavourable_other",
            "steered_to_microcredit": "no", "processing_time_normal": "yes", "servicing_equal": "not_yet",
            "same_advice": "yes", "same_terms": "no"},
        "debrief": {
            "guarantee_from_whom": t(
                "Flag. A guarantee was demanded from a spouse who neither owns nor runs the business. Requiring "
                "a spouse's signature when the applicant qualifies alone is named as a prohibited practice in "
                "equal-credit rules; the checklist flags it from the case facts as well.",
                "Flagga. Borgen krävdes av en make som varken äger eller driver företaget. Att kräva makens "
                "underskrift när sökanden uppfyller kraven på egen hand pekas ut som otillåtet i regler om lika "
                "kreditgivning; checklistan flaggar det också utifrån ärendets fakta.",
                "Signalement. Une caution a été exigée d'un conjoint qui ne possède ni ne dirige l'entreprise. "
                "Exiger la signature du conjoint lorsque la demandeuse remplit seule les conditions est une pratique "
                "interdite par les règles d'égalité d'accès au crédit ; la liste le signale aussi d'après les faits."),
            "collateral_standard": t(
                "Flag. The vans covered the loan; the extra guarantee is above the product's standard and no reason "
                "was recorded.",
                "Flagga. Bilarna täckte lånet; den extra borgen ligger över produktens standard och inget skäl "
                "antecknades.",
                "Signalement. Les véhicules couvraient le prêt ; la caution supplémentaire dépasse le standard du "
                "produit et aucun motif n'a été noté."),
            "exception_documented": t(
                "Flag. Departing from the product terms is an exception; an undocumented exception is one of the "
                "supervisors' fair-lending risk factors.",
                "Flagga. Att avvika från produktvillkoren är ett undantag; ett odokumenterat undantag är en av "
                "tillsynens riskfaktorer för diskriminering i kreditgivning.",
                "Signalement. S'écarter des conditions du produit est une exception ; une exception non documentée "
                "est l'un des facteurs de risque relevés par les superviseurs."),
            "same_terms": SELF_CHECK,
        },
    },
    {
        "key": "smaller-amount",
        "title": t("Less granted than asked for the same plan", "Mindre beviljat än sökt för samma plan",
                   "Moins accordé que demandé pour le même projet"),
        "template": CREDIT,
        "vignette": t(
            "Fatima Haddad, an experienced chef, asks for SEK 800,000 to take over a restaurant with a "
            "documented customer base. The credit analyst rates the plan 4 of 5 and the scoring recommends "
            "granting the full amount.\n\n"
            "The officer overrides the scoring and grants SEK 300,000 “to start with”, saying that first-time "
            "restaurant owners “like her” should start smaller. The override is not written down, and Fatima is "
            "only told orally that the bank wants to “see how it goes”. A similar plan from a male chef the same "
            "month was granted in full.",
            "Fatima Haddad, en erfaren kock, söker 800 000 kr för att ta över en restaurang med en dokumenterad "
            "kundbas. Kreditanalytikern ger planen betyget 4 av 5 och kreditmodellen rekommenderar att hela "
            "beloppet beviljas.\n\n"
            "Handläggaren går emot modellen och beviljar 300 000 kr ”till att börja med”, med motiveringen att "
            "förstagångsrestauratörer ”som hon” bör börja i mindre skala. Avsteget skrivs inte ner, och Fatima får "
            "bara muntligt veta att banken vill ”se hur det går”. En liknande plan från en manlig kock samma månad "
            "beviljades i sin helhet.",
            "Fatima Haddad, cheffe expérimentée, demande 800 000 SEK pour reprendre un restaurant à la clientèle "
            "établie. L'analyste crédit note le projet 4 sur 5 et le score recommande d'accorder la totalité.\n\n"
            "Le chargé passe outre le score et accorde 300 000 SEK « pour commencer », au motif que les "
            "restaurateurs débutants « comme elle » devraient commencer plus petit. La dérogation n'est pas "
            "consignée, et Fatima apprend seulement à l'oral que la banque veut « voir comment ça se passe ». Un "
            "projet semblable présenté par un chef le même mois a été financé en totalité."),
        "facts": {"case_date": "2026-01-12", "ownership": "women_led", "sector": "hospitality",
                  "legal_form": "limited_company", "amount_requested": "800000", "amount_granted": "300000",
                  "currency": "SEK", "collateral_required": True, "personal_guarantee_required": False,
                  "interest_rate": "6.5", "decision": "partly_granted", "decision_date": "2026-01-26",
                  "meeting_type": "credit_decision", "application_complete": True, "standard_rate": "6.5"},
        "model_answers": {
            "meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
            "family_questions": "no", "growth_questions": "yes", "standard_documents": "yes",
            "selective_encouragement": "less", "written_criteria": "no", "plan_strength": 4,
            "exception_made": "yes", "exception_documented": "no", "collateral_standard": "standard",
            "term_deviations": "unfavourable_other", "steered_to_microcredit": "no",
            "processing_time_normal": "yes", "reasons_given": "no", "servicing_equal": "not_yet",
            "same_advice": "no", "same_terms": "no"},
        "debrief": {
            "plan_strength": t(
                "Flag. A strong plan (4 of 5) granted less than half the amount is the pattern Malmström found: "
                "women received on average about a quarter of what they asked for, men over half.",
                "Flagga. En stark plan (4 av 5) som får mindre än hälften av beloppet är det mönster Malmström "
                "fann: kvinnor fick i genomsnitt ungefär en fjärdedel av det de sökte, män över hälften.",
                "Signalement. Un projet solide (4 sur 5) financé à moins de la moitié : c'est le schéma relevé par "
                "Malmström — les femmes obtenaient en moyenne environ un quart de la somme demandée, les hommes "
                "plus de la moitié."),
            "written_criteria": t(
                "Flag. “First-time owners like her” is not a written criterion; it is a subjective one, a "
                "fair-lending risk factor.",
                "Flagga. ”Förstagångsägare som hon” är inget skriftligt kriterium utan ett subjektivt, en "
                "riskfaktor för diskriminering i kreditgivning.",
                "Signalement. « Les débutants comme elle » n'est pas un critère écrit mais un critère subjectif, "
                "facteur de risque de discrimination."),
            "reasons_given": t(
                "Flag. A partial grant needs its specific reasons, orally and in writing, so the client can "
                "answer them or go elsewhere.",
                "Flagga. Ett delvis beviljat lån kräver konkreta skäl, muntligt och skriftligt, så att kunden kan "
                "bemöta dem eller vända sig någon annanstans.",
                "Signalement. Un accord partiel doit être motivé précisément, à l'oral et par écrit, pour que la "
                "cliente puisse répondre ou s'adresser ailleurs."),
            "exception_documented": t(
                "Flag. Overriding the scoring is an exception and must be documented with its reason.",
                "Flagga. Att gå emot kreditmodellen är ett undantag och ska dokumenteras med skäl.",
                "Signalement. Passer outre le score est une exception qui doit être documentée avec son motif."),
        },
    },
    {
        "key": "discouraged",
        "title": t("Discouraged from applying", "Avrådd från att söka", "Dissuadée de déposer une demande"),
        "template": ADVICE,
        "vignette": t(
            "Elin Nyström wants to open a bicycle repair and rental shop and comes for advice on a start-up loan of "
            "SEK 350,000. She has a budget, two letters of intent from hotels and ten years of experience as a "
            "bicycle mechanic.\n\n"
            "The advisor leafs through the budget and says that “retail is tough” and that she should perhaps "
            "“think it over for a year or two”; he names no step she should complete first. He suggests that she "
            "borrow from her family or take a small microloan instead, without looking at the loan she asked for, "
            "and does not offer a follow-up meeting. He does ask about her market and her growth plans, and asks "
            "for the documents required of every start-up.",
            "Elin Nyström vill öppna en cykelverkstad med uthyrning och söker råd om ett startlån på 350 000 kr. "
            "Hon har en budget, två avsiktsförklaringar från hotell och tio års erfarenhet som cykelmekaniker.\n\n"
            "Rådgivaren bläddrar i budgeten och säger att ”handel är tufft” och att hon kanske borde ”fundera ett "
            "år eller två”; han nämner inget konkret steg som hon först ska genomföra. Han föreslår att hon lånar av "
            "familjen eller tar ett litet mikrolån i stället, utan att pröva det lån hon sökte, och erbjuder inget "
            "uppföljningsmöte. Han frågar däremot om hennes marknad och tillväxtplaner, och begär de handlingar som "
            "krävs av alla nystartade företag.",
            "Elin Nyström veut ouvrir un atelier de réparation et de location de vélos et vient demander conseil "
            "pour un prêt de création de 350 000 SEK. Elle a un budget, deux lettres d'intention d'hôtels et dix "
            "ans d'expérience de mécanicienne cycle.\n\n"
            "Le conseiller feuillette le budget, dit que « le commerce, c'est dur » et qu'elle devrait peut-être "
            "« y réfléchir un an ou deux » ; il ne cite aucune étape concrète à franchir d'abord. Il lui suggère "
            "d'emprunter à sa famille ou de prendre plutôt un petit microcrédit, sans examiner le prêt demandé, et "
            "ne propose pas de rendez-vous de suivi. Il l'interroge en revanche sur son marché et ses projets de "
            "croissance, et demande les pièces exigées de toute création d'entreprise."),
        "facts": {"case_date": "2026-06-01", "ownership": "women_led", "sector": "retail",
                  "legal_form": "sole_trader", "amount_requested": "350000", "currency": "SEK",
                  "meeting_type": "advice_meeting"},
        "model_answers": {
            "meeting_attendees": "one_person", "same_information": "no", "neutral_language": "yes",
            "family_questions": "no", "growth_questions": "yes", "standard_documents": "yes",
            "sector_judgement": "not_assessed", "selective_encouragement": "less", "discouraged": "discouraged",
            "steered_to_microcredit": "instead", "follow_up_offered": "no", "same_advice": "unsure"},
        "debrief": {
            "discouraged": t(
                "Flag. Advising to wait is fine when a concrete step is named (a signed lease, a first season's "
                "figures); “think it over” without one discourages the application, a practice equal-credit "
                "rules name.",
                "Flagga. Att råda någon att vänta är rimligt när ett konkret steg anges (ett påskrivet hyresavtal, "
                "en första säsongs siffror); ”fundera på det” utan ett sådant avråder från ansökan, en metod som "
                "regler om lika kreditgivning pekar ut.",
                "Signalement. Conseiller d'attendre se justifie si une étape concrète est nommée (un bail signé, "
                "les chiffres d'une première saison) ; « réfléchissez-y » sans étape décourage la demande, pratique "
                "visée par les règles d'égalité d'accès au crédit."),
            "steered_to_microcredit": t(
                "Flag. Microcredit is a good complement, not a replacement for assessing the loan asked for.",
                "Flagga. Mikrolån är ett bra komplement, inte en ersättning för att pröva det lån som söktes.",
                "Signalement. Le microcrédit est un bon complément, pas un substitut à l'examen du prêt demandé."),
            "follow_up_offered": t(
                "Flag. Every client should leave with a next step: a follow-up meeting or contacts with banks, "
                "guarantee funds or solidarity-based finance.",
                "Flagga. Varje kund ska gå därifrån med ett nästa steg: ett uppföljningsmöte eller kontakter med "
                "banker, garantifonder eller solidarisk finansiering.",
                "Signalement. Chaque client doit repartir avec une suite : un rendez-vous de suivi ou des contacts "
                "avec des banques, des fonds de garantie ou la finance solidaire."),
            "same_information": t(
                "Flag. The start-up loan and its terms were never presented, so she did not get the information "
                "other clients get.",
                "Flagga. Startlånet och dess villkor presenterades aldrig, så hon fick inte den information andra "
                "kunder får.",
                "Signalement. Le prêt de création et ses conditions n'ont jamais été présentés : elle n'a pas reçu "
                "l'information donnée aux autres clients."),
        },
    },
    {
        "key": "extra-documents",
        "title": t("Extra documents asked for", "Extra handlingar begärs", "Des pièces supplémentaires exigées"),
        "template": CREDIT,
        "vignette": t(
            "Anna Virtanen runs an IT consultancy (a limited company, four consultants) and asks for SEK 300,000 of "
            "working capital. For this size of loan the bank's procedure asks for the last annual accounts and a "
            "one-year budget.\n\n"
            "The officer also asks her for a monthly cash-flow projection over three years, an independent "
            "appraisal of her flat and a personal financial statement for her and her partner. He tells her by "
            "phone that the application is incomplete until these arrive. Gathering them takes six weeks; the loan "
            "is then granted in full on standard terms, without collateral or guarantee.",
            "Anna Virtanen driver en IT-konsultfirma (aktiebolag, fyra konsulter) och söker 300 000 kr i "
            "rörelsekapital. För ett lån av den storleken kräver bankens rutin det senaste årsbokslutet och en "
            "budget för ett år.\n\n"
            "Handläggaren begär dessutom en kassaflödesprognos per månad för tre år, en oberoende värdering av "
            "hennes lägenhet och en privatekonomisk redovisning för henne och hennes sambo. Han säger per telefon "
            "att ansökan är ofullständig tills dessa kommit in. Att ta fram dem tar sex veckor; lånet beviljas "
            "sedan i sin helhet på standardvillkor, utan säkerhet eller borgen.",
            "Anna Virtanen dirige une société de conseil informatique (SARL, quatre consultants) et demande "
            "300 000 SEK de fonds de roulement. Pour ce montant, la procédure de la banque exige les derniers "
            "comptes annuels et un budget sur un an.\n\n"
            "Le chargé lui demande en plus un plan de trésorerie mensuel sur trois ans, une expertise "
            "indépendante de son appartement et un état patrimonial personnel pour elle et son compagnon. Il lui "
            "dit par téléphone que le dossier est incomplet tant que ces pièces manquent. Les réunir prend six "
            "semaines ; le prêt est ensuite accordé en totalité aux conditions standard, sans garantie ni caution."),
        "facts": {"case_date": "2026-02-02", "ownership": "women_led", "sector": "ict",
                  "legal_form": "limited_company", "amount_requested": "300000", "amount_granted": "300000",
                  "currency": "SEK", "collateral_required": False, "personal_guarantee_required": False,
                  "interest_rate": "6.5", "decision": "granted", "decision_date": "2026-03-20",
                  "meeting_type": "credit_decision", "application_complete": False, "standard_rate": "6.5"},
        "model_answers": {
            "meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
            "family_questions": "no", "growth_questions": "yes", "standard_documents": "no",
            "selective_encouragement": "same", "incomplete_handling": "orally", "written_criteria": "yes",
            "plan_strength": 4, "exception_made": "no", "term_deviations": "none", "steered_to_microcredit": "no",
            "processing_time_normal": "no", "servicing_equal": "not_yet", "same_advice": "no", "same_terms": "yes"},
        "debrief": {
            "standard_documents": t(
                "Flag. Cash-flow projections, asset appraisals and personal financial statements are exactly the "
                "documents women report being asked for more often (testimony to the Canadian Status of Women "
                "committee). Ask every client with a comparable case for the same documents.",
                "Flagga. Kassaflödesprognoser, värderingar och privatekonomiska redovisningar är just de handlingar "
                "som kvinnor uppger att de oftare avkrävs (vittnesmål inför kanadensiska parlamentets utskott för "
                "kvinnors ställning). Begär samma handlingar av alla kunder med jämförbara ärenden.",
                "Signalement. Plans de trésorerie, expertises et états patrimoniaux personnels sont précisément les "
                "pièces que les femmes disent se voir réclamer plus souvent (témoignages devant le comité canadien "
                "de la condition féminine). Demandez les mêmes pièces à tout client au dossier comparable."),
            "processing_time_normal": t(
                "Flag. Forty-six days instead of the usual two weeks, caused by the extra documents. Processing "
                "time gaps between groups are a fair-lending risk factor.",
                "Flagga. Fyrtiosex dagar i stället för de vanliga två veckorna, på grund av de extra handlingarna. "
                "Skillnader i handläggningstid mellan grupper är en riskfaktor för diskriminering i kreditgivning.",
                "Signalement. Quarante-six jours au lieu des deux semaines habituelles, à cause des pièces "
                "supplémentaires. Les écarts de délais entre groupes sont un facteur de risque de discrimination."),
            "incomplete_handling": t(
                "No flag, but better practice: tell the client in writing, with a date, what is missing.",
                "Ingen flagga, men bättre praxis: meddela kunden skriftligt, med datum, vad som saknas.",
                "Pas de signalement, mais mieux vaut indiquer par écrit, avec une date, les pièces manquantes."),
        },
    },
]

# --- the swap-test pair: the same case, the owner's gender swapped and nothing else ----------------
SWAP_FACTS = {"case_date": "2026-04-07", "sector": "construction", "legal_form": "sole_trader",
              "amount_requested": "500000", "amount_granted": "350000", "currency": "SEK",
              "collateral_required": True, "personal_guarantee_required": False, "interest_rate": "7.5",
              "decision": "partly_granted", "decision_date": "2026-04-21", "meeting_type": "credit_decision",
              "application_complete": True, "collateral_value": "600000", "standard_rate": "6.0"}
SWAP_ANSWERS = {
    "meeting_attendees": "one_person", "same_information": "yes", "neutral_language": "yes",
    "family_questions": "no", "growth_questions": "yes", "standard_documents": "yes",
    "selective_encouragement": "same", "written_criteria": "yes", "plan_strength": 4, "exception_made": "no",
    "rate_reason": "judgement", "collateral_standard": "standard", "term_deviations": "unfavourable_other",
    "steered_to_microcredit": "no", "processing_time_normal": "yes", "reasons_given": "yes",
    "servicing_equal": "not_yet", "same_advice": "yes", "same_terms": "unsure"}
SWAP_DEBRIEF = {
    "rate_reason": t(
        "Flag. A rate 1.5 points above standard “because it felt safer” is an overall judgement, not the written "
        "risk class. This exercise has a twin with the owner's gender swapped: the right answers are the same in "
        "both. If yours differ between the two, that difference is what the training is about.",
        "Flagga. En ränta 1,5 procentenheter över standard ”för att det kändes tryggare” är en helhetsbedömning, "
        "inte den skriftliga riskklassen. Övningen har en tvilling där ägarens kön är bytt: de rätta svaren är "
        "desamma i båda. Om dina svar skiljer sig mellan dem är det just den skillnaden utbildningen handlar om.",
        "Signalement. Un taux 1,5 point au-dessus du standard « parce que c'était plus sûr » relève d'un jugement "
        "global, pas de la classe de risque écrite. Cet exercice a un jumeau où le sexe du dirigeant est inversé : "
        "les bonnes réponses sont les mêmes dans les deux. Si les vôtres diffèrent, c'est cette différence que la "
        "formation vise."),
    "term_deviations": t(
        "Flag. The higher rate is an unfavourable deviation without an objective, documented reason.",
        "Flagga. Den högre räntan är en ofördelaktig avvikelse utan ett objektivt, dokumenterat skäl.",
        "Signalement. Le taux plus élevé est un écart défavorable sans motif objectif et documenté."),
    "same_terms": SELF_CHECK,
}


def swap_vignette(name: str, pronouns: dict[str, str]) -> dict[str, str]:
    p = pronouns
    return t(
        f"{name} Berg, a carpenter, has run a joinery workshop as a sole trader for six years. {p['He']} asks for "
        f"SEK 500,000 to buy a CNC machine; the machine is pledged as collateral, valued at SEK 600,000. The plan "
        f"is rated 4 of 5.\n\n"
        f"{p['He']} is granted SEK 350,000, with the reasons explained orally and in writing: the bank caps "
        f"machine loans at 70 % of the price for first-time borrowers. The rate offered is 7.5 % against a standard "
        f"rate of 6.0 %; the file says only that a higher rate “felt safer for a first loan”. {name} was asked "
        f"about {p['his']} market and {p['his']} plans to grow, and for the usual documents.",
        f"{name} Berg är snickare och har drivit en möbelsnickerifirma som enskild näringsidkare i sex år. "
        f"{p['Han']} söker 500 000 kr för att köpa en CNC-maskin; maskinen pantsätts som säkerhet, värderad till "
        f"600 000 kr. Planen får betyget 4 av 5.\n\n"
        f"{p['Han']} beviljas 350 000 kr, och skälen förklaras muntligt och skriftligt: banken lånar ut högst "
        f"70 % av priset på en maskin till förstagångslåntagare. Räntan som erbjuds är 7,5 % mot en standardränta "
        f"på 6,0 %; i akten står bara att en högre ränta ”kändes tryggare för ett första lån”. {name} fick frågor "
        f"om {p['sin']} marknad och {p['sina']} tillväxtplaner, och ombads lämna de vanliga handlingarna.",
        f"{name} Berg, menuisier de métier, dirige depuis six ans un atelier de menuiserie en entreprise "
        f"individuelle et demande 500 000 SEK pour acheter une machine à commande numérique ; la machine est "
        f"nantie en garantie, estimée à 600 000 SEK. Le projet est noté 4 sur 5.\n\n"
        f"La banque accorde 350 000 SEK et en explique les raisons à l'oral et par écrit : elle limite les prêts "
        f"machines à 70 % du prix pour un premier emprunt. Le taux proposé est de 7,5 % pour un taux standard de "
        f"6,0 % ; le dossier indique seulement qu'un taux plus élevé « semblait plus sûr pour un premier prêt ». "
        f"{name} a été interrogé{p['e']} sur son marché et ses projets de croissance, et on lui a demandé les "
        f"pièces habituelles.")


SHE = {"He": "She", "his": "her", "Han": "Hon", "sin": "sin", "sina": "sina", "e": "e"}
HE = {"He": "He", "his": "his", "Han": "Han", "sin": "sin", "sina": "sina", "e": ""}
EXERCISES += [
    {"key": "swap-test-woman",
     "title": t("Swap test: a joinery loan (A)", "Bytestest: ett lån till en snickerifirma (A)",
                "Test d'inversion : un prêt à une menuiserie (A)"),
     "template": CREDIT, "vignette": swap_vignette("Karin", SHE),
     "facts": {**SWAP_FACTS, "ownership": "women_led"}, "model_answers": SWAP_ANSWERS, "debrief": SWAP_DEBRIEF,
     "swap_pair": "joinery-loan"},
    {"key": "swap-test-man",
     "title": t("Swap test: a joinery loan (B)", "Bytestest: ett lån till en snickerifirma (B)",
                "Test d'inversion : un prêt à une menuiserie (B)"),
     "template": CREDIT, "vignette": swap_vignette("Karl", HE),
     "facts": {**SWAP_FACTS, "ownership": "men_led"}, "model_answers": SWAP_ANSWERS, "debrief": SWAP_DEBRIEF,
     "swap_pair": "joinery-loan"},
]


def build() -> str:
    contents = {key: read_template_file(path) for key, path in CHECKLISTS.items()}

    def resolve(key: str, version: int) -> Any:
        if key not in contents or version != 1:
            raise LookupError(f"no bundled checklist {key}@{version}")
        return contents[key]

    exercises = read_exercises({"format": "likvard-exercise/1", "exercises": EXERCISES}, resolve, "build_exercises")
    return exercises_text(exercises)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run scripts/build_exercises.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
