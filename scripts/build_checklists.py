"""Build the two bundled checklists, *Credit decision* and *Advice meeting*, from one source.

    python scripts/build_checklists.py          # write checklists/credit-decision.json and advice-meeting.json
    python scripts/build_checklists.py --check  # exit 1 when a file is out of date

Common items are defined once here and placed in both checklists; items unchanged from the first
bundled checklist (``build_bundled_checklist.py``, kept for the cases filled with it) are reused
from it with their law and sources added, a phrase reworded where needed (``reword``). Each file is
the canonical JSON of the parsed template. The helpers shared with the first generator are in
``checklist_kit.py``; this is a data module (the items' texts in three languages and their rules),
longer than code modules on purpose.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_bundled_checklist as legacy  # noqa: E402  (scripts are not a package)
from checklist_kit import (  # noqa: E402
    ROOT,
    all_of,
    answer,
    any_of,
    fact,
    item,
    not_,
    opt,
    render_template,
    t,
    template,
    typeset,
    write_or_check,
)

OUTPUTS = {
    "credit_decision": ROOT / "checklists" / "credit-decision.json",
    "advice_meeting": ROOT / "checklists" / "advice-meeting.json",
}

# --- sources (citations keep their own language) ---------------------------------------------------
EU = "Council Directive 2004/113/EC (equal treatment of men and women in the supply of goods and services), art. 4"
SE = "Diskrimineringslagen (2008:567), 1 kap. 4 § och 2 kap. 12 §"
FR = "Code pénal, art. 225-1 et 225-2"
ECOA = "US Equal Credit Opportunity Act / Regulation B, 12 CFR 1002.4 (as summarised by bank supervisors)"
FAIR = "FFIEC Interagency Fair Lending Examination Procedures (risk factors)"
KANZE = "Kanze, Huang, Conley & Higgins (2018), Academy of Management Journal 61(2): promotion vs prevention questions"
MALM = "Malmström, Johansson & Wincent (2017), Luleå University of Technology: how financiers spoke about women and men applicants"
RIR = "Riksrevisionen (RiR 2019:7), Almis utlåning"
WWB = "Women's World Banking, gender-bias scorecard for lenders"
SPOUSE = "Äktenskapsbalken 7 kap. 5 § (spouse consent) / Code civil art. 215 (consentement du conjoint)"
GDPR = "Regulation (EU) 2016/679 (GDPR), art. 5(1)(c) and 9"
LAW = [EU, SE, FR]


def reuse(key: str, *sources: str, **override: Any) -> dict[str, Any]:
    """An item of the first bundled checklist, unchanged but for ``override``, with its sources."""
    for section in legacy.build()["sections"]:
        for it in section["items"]:
            if it["key"] == key:
                out = copy.deepcopy(it)
                out.update(override)
                out["sources"] = list(sources)
                return out
    raise KeyError(key)


def private(it: dict[str, Any]) -> dict[str, Any]:
    it["private"] = True
    return it


def reword(texts: dict[str, str], lang: str, old: str, new: str) -> None:
    """Change one phrase of a reused text in one language (both typed plain, typeset as ``t`` does)."""
    old, new = typeset(lang, old), typeset(lang, new)
    if old not in texts[lang]:
        raise KeyError(f"{lang}: {old!r} is not in {texts[lang]!r}")
    texts[lang] = texts[lang].replace(old, new)


# --- common items ----------------------------------------------------------------------------------

# The case fact is "Ägande" / "Blandad ledning" in Swedish and "Direction" / "Mixte" in French: same words here.
ATTENDEES = reuse("meeting_attendees", RIR)
reword(ATTENDEES["guidance"], "sv", "ägarskapet registreras separat", "ägandet registreras separat (uppgiften Ägande i ärendet)")
reword(ATTENDEES["guidance"], "sv", "visade att blandade team hade räknats som kvinnor",
       "visade att företag med blandad ledning hade räknats som kvinnoledda")
reword(ATTENDEES["guidance"], "fr", "et non qui détient l'entreprise : la propriété est une donnée distincte, déclarée",
       "et non qui dirige ou détient l'entreprise : la direction (femmes, hommes ou mixte) est une donnée distincte "
       "du dossier, déclarée")
reword(ATTENDEES["guidance"], "fr", "a montré que des équipes mixtes avaient été comptées comme des femmes",
       "a montré que des entreprises à direction mixte avaient été comptées comme dirigées par des femmes")
reword(ATTENDEES["options"][1]["label"], "sv", "Ett par (livspartner)", "Ett par (makar, partner eller sambor)")
reword(ATTENDEES["options"][1]["label"], "fr", "Un couple", "Un couple (époux, partenaires de PACS ou concubins)")
ADDRESSED = item(
    "addressed_whom", "single_choice",
    t("Whom did you mainly address during the meeting?",
      "Vem vände du dig främst till under mötet?",
      "Pendant l'entretien, à qui vous êtes-vous surtout adressé ?"),
    t("Speak to the person who runs the business and to every owner alike. Turning to one co-owner of a "
      "mixed team, or to a partner who does not run the business, is different service.",
      "Tala med den som driver företaget och med alla ägare på samma sätt. Att vända sig till en av "
      "delägarna i ett företag med blandad ledning, eller till en partner som inte driver företaget, är olika service.",
      "Adressez-vous à la personne qui dirige l'entreprise et à tous les associés de la même manière. Se "
      "tourner vers un seul associé d'une entreprise à direction mixte, ou vers un proche qui ne dirige pas l'entreprise, "
      "c'est un service différencié."),
    required=True,
    options=[
        opt("all_equally", "All participants equally", "Alla deltagare lika mycket", "À tous les participants de la même manière"),
        opt("business_lead", "Mainly the person who runs the business", "Främst den som driver företaget",
            "Surtout à la personne qui dirige l'entreprise"),
        opt("one_co_owner", "Mainly one of the co-owners", "Främst en av delägarna", "Surtout à l'un des associés"),
        opt("other_person", "Mainly someone who does not run the business (a spouse or partner, married or not)",
            "Främst någon som inte driver företaget (make, maka, partner eller sambo)",
            "Surtout à une personne qui ne dirige pas l'entreprise (conjoint, partenaire de PACS ou concubin)"),
    ],
    visible_when=answer("meeting_attendees", "in", ["couple", "team"]),
    flag_when=answer("addressed_whom", "in", ["one_co_owner", "other_person"]),
    flag_explanation=t(
        "Only some of the people responsible for the business were addressed. That is different service, "
        "and it often follows stereotypes about who runs a business.",
        "Bara några av dem som ansvarar för företaget fick frågorna och förklaringarna. Det är olika "
        "service, och det följer ofta stereotypa föreställningar om vem som driver företag.",
        "Vous ne vous êtes adressé qu'à une partie des personnes responsables de l'entreprise. C'est un "
        "service différencié, qui suit souvent les stéréotypes sur qui dirige une entreprise."),
    sources=[ECOA, EU, SE, FR],
)
SAME_INFORMATION = reuse("same_information", ECOA, EU, SE)
reword(SAME_INFORMATION["guidance"], "fr", "comme le sexe ou la situation matrimoniale", "comme le sexe ou la situation de famille")
NEUTRAL_LANGUAGE: dict[str, Any] = reuse("neutral_language", MALM, guidance=t(
    "The words used about a business shape how its potential is judged. Malmström's Swedish study found that "
    "financiers spoke about women applicants in terms of risk and doubt and about men in terms of potential.",
    "Orden som används om ett företag påverkar hur dess potential bedöms. Malmströms svenska studie visade att "
    "finansiärer talade om kvinnliga sökande i termer av risk och tvivel och om manliga i termer av potential.",
    "Les mots employés pour parler d'une entreprise orientent l'appréciation de son potentiel. L'étude suédoise "
    "de Malmström a montré que les financeurs parlaient des demandeuses en termes de risque et de doute, et des "
    "demandeurs en termes de potentiel."))
FAMILY = item(
    "family_questions", "single_choice",
    t("Did you ask about family, children, childcare or the role of a spouse or partner?",
      "Frågade du om familj, barn, barnomsorg eller vilken roll en make, maka, partner eller sambo har?",
      "Avez-vous posé des questions sur la famille, les enfants, leur garde ou le rôle d'un conjoint, "
      "partenaire de PACS ou concubin ?"),
    t("Household questions asked of every client by policy (such as the household budget for a sole trader) "
      "are not a sign of bias. Asked only of some clients, they are 'prevention' questions (Kanze et al. 2018).",
      "Frågor om hushållet som enligt rutin ställs till alla kunder (som hushållsbudgeten för en "
      "enskild näringsidkare) är inget tecken på snedvridning. Ställs de bara till vissa är de "
      "'förebyggande' frågor (Kanze m.fl., 2018).",
      "Les questions sur le foyer posées à tous les clients selon la procédure (comme le budget du ménage d'un "
      "entrepreneur individuel) ne sont pas un signe de biais. Posées à certains seulement, ce sont des "
      "questions « de prévention » (Kanze et al., 2018)."),
    required=True,
    weight=2,
    options=[
        opt("no", "No", "Nej", "Non"),
        opt("all_clients", "Yes, as asked of every client by policy", "Ja, som till alla kunder enligt rutin",
            "Oui, comme à tous les clients selon la procédure"),
        opt("this_client", "Yes, not routinely asked of every client", "Ja, sådant vi inte frågar alla kunder om",
            "Oui, des questions qui ne sont pas posées à tous les clients"),
    ],
    flag_when=answer("family_questions", "equals", "this_client"),
    flag_explanation=t(
        "Questions on family situation were put to this client beyond what policy asks of everyone. Put mainly "
        "to women, they are discrimination on grounds of sex (EU, Swedish and French law); French law also "
        "protects family situation as such.",
        "Kunden fick frågor om familjesituationen utöver det som rutinen föreskriver för alla. Ställs de främst "
        "till kvinnor är det diskriminering på grund av kön (EU-rätten, svensk och fransk lag); fransk lag "
        "skyddar dessutom familjesituationen som sådan.",
        "Ce client a reçu des questions sur sa situation de famille au-delà de ce que la procédure prévoit "
        "pour tous. Posées surtout aux femmes, elles constituent une discrimination fondée sur le sexe (droit "
        "européen, suédois et français) ; le droit français protège en outre la situation de famille en tant "
        "que telle."),
    sources=[KANZE, EU, SE, FR],
)
reword(NEUTRAL_LANGUAGE["label"], "fr", "(sans diminutifs comme", "(sans termes réducteurs comme")
GROWTH = reuse("growth_questions", KANZE, guidance=t(
    "Growth and potential are 'promotion' questions; risks and losses are 'prevention' questions. Kanze et al. "
    "(2018) found that investors put prevention questions mainly to women, and that it lowered the funding raised.",
    "Tillväxt och potential är 'främjande' frågor; risker och förluster är 'förebyggande' frågor. Kanze m.fl. "
    "(2018) fann att investerare främst ställde förebyggande frågor till kvinnor, och att det gav mindre kapital.",
    "La croissance et le potentiel sont des questions « de promotion » ; les risques et les pertes, des questions "
    "« de prévention ». Kanze et al. (2018) ont montré que les investisseurs posaient surtout des questions de "
    "prévention aux femmes, ce qui réduisait les fonds levés."))
STANDARD_DOCUMENTS = reuse("standard_documents", "Status of Women Committee, Parliament of Canada (testimony)", FAIR)
ENCOURAGED = item(
    "selective_encouragement", "single_choice",
    t("Did you encourage this client to apply for more, or for a product, as you would any client with this plan?",
      "Uppmuntrade du kunden att söka mer, eller en viss produkt, som du skulle ha gjort för vilken kund som helst "
      "med samma plan?",
      "Avez-vous encouragé ce client à demander davantage, ou tel produit, comme vous l'auriez fait pour tout "
      "client ayant le même projet ?"),
    t("Encouraging some applicants and not others is named by equal-credit rules beside discouragement. "
      "Answer 'no' when you encouraged this client less than you would others.",
      "Att uppmuntra vissa sökande men inte andra nämns i regler om lika tillgång till kredit vid sidan av att "
      "avskräcka. Svara 'nej' om du uppmuntrade kunden mindre än du skulle ha gjort med andra.",
      "Encourager certains demandeurs et pas d'autres est visé par les règles d'égalité d'accès au crédit, au "
      "même titre que le découragement. Répondez « non » si vous avez moins encouragé ce client que d'autres."),
    required=True,
    options=[
        opt("same", "Yes, as for any client", "Ja, som för alla kunder", "Oui, comme pour tout client"),
        opt("less", "No, less than others", "Nej, mindre än andra", "Non, moins que d'autres"),
        opt("not_relevant", "Not relevant in this case", "Inte aktuellt i ärendet", "Sans objet dans ce dossier"),
    ],
    flag_when=answer("selective_encouragement", "equals", "less"),
    flag_explanation=t(
        "The client was encouraged less than others with the same plan. Selective encouragement shapes which "
        "applications are ever made.",
        "Kunden uppmuntrades mindre än andra med samma plan. Selektiv uppmuntran avgör vilka ansökningar "
        "som över huvud taget görs.",
        "Le client a été moins encouragé que d'autres ayant le même projet. L'encouragement sélectif "
        "décide des demandes qui sont déposées, ou non."),
    sources=[ECOA, EU, SE],
)
STEERED = item(
    "steered_to_microcredit", "single_choice",
    t("Did you point the client to microcredit or a smaller product instead of the loan asked for?",
      "Hänvisade du kunden till mikrolån eller en mindre produkt i stället för det lån som efterfrågades?",
      "Avez-vous orienté le client vers le microcrédit ou un produit de moindre montant au lieu du prêt demandé ?"),
    t("A referral is useful as a complement or after a refusal with reasons. As a replacement for assessing "
      "the loan asked for, it lowers the amount without a decision.",
      "En hänvisning är värdefull som komplement eller efter ett motiverat avslag. Som ersättning för att "
      "pröva det lån som efterfrågades sänker den beloppet utan beslut.",
      "Une orientation est utile en complément ou après un refus motivé. Si elle remplace l'examen du prêt "
      "demandé, elle réduit le montant sans décision."),
    required=True,
    options=[
        opt("no", "No", "Nej", "Non"),
        opt("as_complement", "Yes, as a complement or after a reasoned refusal",
            "Ja, som komplement eller efter ett motiverat avslag", "Oui, en complément ou après un refus motivé"),
        opt("instead", "Yes, instead of assessing the loan asked for",
            "Ja, i stället för att pröva det efterfrågade lånet", "Oui, au lieu d'examiner le prêt demandé"),
    ],
    flag_when=answer("steered_to_microcredit", "equals", "instead"),
    flag_explanation=t(
        "The client was steered to a smaller product without the loan asked for being assessed. Women "
        "entrepreneurs are more often steered this way, and the gap never shows in approval rates.",
        "Kunden styrdes till en mindre produkt utan att det efterfrågade lånet prövades. Kvinnor som "
        "driver företag styrs oftare på det sättet, och skillnaden syns aldrig i beviljandegraden.",
        "Le client a été orienté vers un produit de moindre montant sans examen du prêt demandé. Les entrepreneures "
        "sont plus souvent orientées ainsi, et l'écart n'apparaît jamais dans les taux d'acceptation."),
    sources=[ECOA, WWB, EU, FR],
)
REFLECT_ADVICE = private(reuse("same_advice", KANZE, MALM))
reword(REFLECT_ADVICE["guidance"], "sv", "Snedvridningar som dem i Malmströms studie",
       "Snedvridningar av det slag som Malmströms studie beskriver")
REFLECT_TERMS = private(reuse("same_terms", WWB))
reword(REFLECT_TERMS["label"], "fr", "(montant, taux, garanties, cautions)", "(montant, taux, sûretés réelles, cautions)")
reword(REFLECT_TERMS["guidance"], "fr", "taux et garanties comparés", "taux et sûretés comparés")
WHAT_DIFFERS = private(reuse("what_would_differ", GDPR))


def _doubted(*keys: str) -> dict[str, Any]:
    return any_of(*(answer(k, "in", ["no", "unsure"]) for k in keys))


# --- credit decision only --------------------------------------------------------------------------

INCOMPLETE = item(
    "incomplete_handling", "single_choice",
    t("The application is incomplete: how was the client told what is missing?",
      "Ansökan är ofullständig: hur fick kunden veta vad som saknas?",
      "La demande est incomplète : comment le client a-t-il été informé de ce qui manque ?"),
    t("Supervisors compare incomplete and withdrawn applications between groups. Tell every client in writing "
      "what is missing and by when.",
      "Tillsynsmyndigheter jämför ofullständiga och återkallade ansökningar mellan grupper. Tala om för varje "
      "kund skriftligen vad som saknas och när det senast ska lämnas in.",
      "Les superviseurs comparent les demandes incomplètes et retirées entre groupes. Indiquez par écrit à "
      "chaque client ce qui manque et pour quand."),
    required=True,
    options=[
        opt("in_writing", "In writing, with a date", "Skriftligt, med ett datum", "Par écrit, avec une date"),
        opt("orally", "Orally only", "Bara muntligt", "Oralement seulement"),
        opt("not_told", "Not told", "Fick inte veta", "Pas informé"),
    ],
    visible_when=fact("application_complete", "equals", False),
    flag_when=answer("incomplete_handling", "equals", "not_told"),
    flag_explanation=t(
        "The client was not told what the application lacks. An incomplete file left without notice "
        "becomes a silent refusal.",
        "Kunden fick inte veta vad ansökan saknar. En ofullständig ansökan utan besked blir ett tyst avslag.",
        "Le client n'a pas été informé de ce qui manque à sa demande. Un dossier incomplet laissé sans nouvelles "
        "devient un refus silencieux."),
    sources=[FAIR, ECOA],
)
CRITERIA = reuse("written_criteria", FAIR)
PLAN = reuse("plan_strength", MALM)
EXCEPTION = reuse("exception_made", FAIR)
EXCEPTION_DOC = reuse("exception_documented", FAIR)
RATE = item(
    "rate_reason", "single_choice",
    t("The rate offered is above your standard rate: what is the reason?",
      "Den erbjudna räntan ligger över er standardränta: vad är skälet?",
      "Le taux proposé dépasse votre taux standard : quelle en est la raison ?"),
    t("Broad pricing discretion is a fair-lending risk factor. A higher rate needs a reason from the written "
      "risk classification, recorded in the case.",
      "Stort utrymme för egen prissättning är en riskfaktor för särbehandling. En högre ränta behöver ett "
      "skäl ur den skriftliga riskklassningen, antecknat i ärendet.",
      "Une large latitude tarifaire est un facteur de risque de discrimination. Un taux plus élevé doit s'appuyer sur la "
      "classification écrite des risques et être justifié dans le dossier."),
    required=True,
    options=[
        opt("risk_class", "The written risk class, recorded in the case",
            "Den skriftliga riskklassen, antecknad i ärendet", "La classe de risque écrite, consignée au dossier"),
        opt("judgement", "An overall judgement (e.g. 'felt safer')",
            "En helhetsbedömning (t.ex. 'kändes säkrare')", "Une appréciation globale (par ex. « plus prudent »)"),
    ],
    visible_when=fact("rate_above_standard", "gt", 0),
    flag_when=answer("rate_reason", "not_equals", "risk_class"),
    flag_explanation=t(
        "The rate is above the standard without a reason from the written risk classification. Women "
        "entrepreneurs pay higher rates in several studies, and this is where such gaps arise.",
        "Räntan ligger över standard utan skäl ur den skriftliga riskklassningen. I flera studier betalar "
        "kvinnor som driver företag högre ränta, och det är här sådana skillnader uppstår.",
        "Le taux dépasse le taux standard sans justification tirée de la classification écrite des risques. "
        "Plusieurs études montrent que les entrepreneures paient des taux plus élevés : c'est ici que ces "
        "écarts naissent."),
    sources=[FAIR, WWB, ECOA, EU],
)
COLLATERAL = item(
    "collateral_standard", "single_choice",
    t("Were the collateral and guarantees within your standard for this product?",
      "Låg säkerheterna och borgen inom er standard för produkten?",
      "Les sûretés réelles et cautions demandées sont-elles conformes à votre standard pour ce produit ?"),
    t("Valuing collateral by different standards is named by equal-credit rules. Compare the loan-to-value "
      "with your standard; a loan covered more than twice by collateral is well beyond usual practice.",
      "Att värdera säkerheter efter olika måttstockar nämns i regler om lika tillgång till kredit. Jämför "
      "belåningsgraden med er standard; ett lån som täcks mer än två gånger av säkerheter ligger långt över "
      "gängse praxis.",
      "Évaluer les sûretés réelles selon des critères différents est visé par les règles d'égalité d'accès au crédit. "
      "Comparez la quotité de financement à votre standard ; un prêt couvert plus de deux fois par les "
      "sûretés va bien au-delà de l'usage."),
    required=True,
    options=[
        opt("standard", "Within the standard", "Inom standard", "Conformes au standard"),
        opt("above_documented", "Above the standard, with a documented reason",
            "Över standard, med dokumenterat skäl", "Au-delà du standard, avec une raison écrite"),
        opt("above", "Above the standard, no documented reason", "Över standard, utan dokumenterat skäl",
            "Au-delà du standard, sans raison écrite"),
    ],
    # a blank fact shows the item: only a recorded "no collateral, no guarantee" hides it
    visible_when=any_of(fact("collateral_required", "not_equals", False),
                        fact("personal_guarantee_required", "not_equals", False), fact("collateral_value", "gt", 0)),
    flag_when=any_of(answer("collateral_standard", "equals", "above"),
                     all_of(fact("loan_to_value", "lt", 50), not_(answer("collateral_standard", "equals", "above_documented")))),
    flag_explanation=t(
        "More security was demanded than the standard, or the loan-to-value is under 50%, without a recorded "
        "reason. Women are asked for more collateral in several lender scorecards.",
        "Mer säkerhet begärdes än standard, eller belåningsgraden är under 50 %, utan antecknat skäl. Kvinnor "
        "avkrävs mer säkerhet enligt flera långivares uppföljningar.",
        "Des sûretés réelles ou cautions au-delà du standard ont été exigées, ou la quotité de financement est "
        "inférieure à 50 %, sans raison écrite. Plusieurs bilans de prêteurs montrent que l'on exige plus de "
        "sûretés réelles et de cautions des femmes."),
    sources=[ECOA, WWB, EU, FR],
)
GUARANTOR = item(
    "guarantee_from_whom", "single_choice",
    t("Was the personal guarantee asked of the owners on the same terms?",
      "Begärdes personlig borgen av ägarna på samma villkor?",
      "La caution personnelle a-t-elle été demandée aux associés aux mêmes conditions ?"),
    t("A spouse's consent required by law (Äktenskapsbalken 7:5, Code civil art. 215) is not a guarantee. "
      "Ask a guarantee of every owner alike, and never of a spouse or partner (married or not) who does not own the business.",
      "Det samtycke från make eller maka som lagen kräver (7 kap. 5 § äktenskapsbalken) är inte borgen. Begär borgen av alla "
      "ägare på samma sätt, och aldrig av en make, maka, partner eller sambo som inte äger företaget.",
      "Le consentement du conjoint exigé par la loi (Code civil, art. 215) n'est pas une caution. Demandez la "
      "caution à tous les associés de la même manière, jamais à un conjoint, partenaire de PACS ou concubin "
      "qui n'est pas associé."),
    required=True,
    options=[
        opt("same_terms", "Yes, every owner alike", "Ja, av alla ägare på samma sätt", "Oui, tous les associés de la même manière"),
        opt("not_same", "No", "Nej", "Non"),
    ],
    visible_when=fact("personal_guarantee_required", "not_equals", False),
    flag_when=any_of(answer("guarantee_from_whom", "equals", "not_same"),
                     fact("guarantor", "in", ["one_of_the_owners", "spouse_or_partner"])),
    flag_explanation=t(
        "The guarantee was asked of only one co-owner or of a non-owner spouse or partner. Equal-credit rules "
        "prohibit requiring a spouse's guarantee when the applicant qualifies alone.",
        "Borgen begärdes av bara en av delägarna eller av en make, maka, partner eller sambo som inte äger "
        "företaget. Regler om lika tillgång till kredit förbjuder att borgen krävs av en make eller maka när "
        "den sökande uppfyller kraven på egen hand.",
        "La caution a été demandée à un seul associé, ou à un conjoint, partenaire de PACS ou concubin non "
        "associé. Les règles d'égalité d'accès au crédit interdisent d'exiger la caution du conjoint lorsque le "
        "demandeur remplit seul les conditions."),
    sources=[ECOA + ", 1002.7(d)", SPOUSE, EU],
)
DEVIATION = item(
    "term_deviations", "single_choice",
    t("Do the terms deviate from your standard terms for this kind of case?",
      "Avviker villkoren från era standardvillkor för den här typen av ärende?",
      "Les conditions s'écartent-elles de vos conditions standard pour ce type de dossier ?"),
    t("Varying amount, rate, duration or type of credit is a behaviour to check. An unfavourable deviation "
      "needs an objective, documented reason; 'felt safer' is not one.",
      "Att variera belopp, ränta, löptid eller typ av kredit är ett beteende att granska. En avvikelse till "
      "kundens nackdel kräver ett sakligt, dokumenterat skäl; 'kändes säkrare' är inget sådant.",
      "Moduler le montant, le taux, la durée ou le type de crédit est un comportement à vérifier. Un écart "
      "défavorable exige une raison objective et écrite ; « plus prudent » n'en est pas une."),
    required=True,
    options=[
        opt("none", "No: standard terms", "Nej: standardvillkor", "Non : conditions standard"),
        opt("favourable", "Yes, in the client's favour", "Ja, till kundens fördel", "Oui, en faveur du client"),
        opt("unfavourable_objective", "Yes, unfavourable, for an objective documented reason",
            "Ja, till kundens nackdel, av ett sakligt, dokumenterat skäl",
            "Oui, défavorable, pour une raison objective et écrite"),
        opt("unfavourable_other", "Yes, unfavourable, for another reason",
            "Ja, till kundens nackdel, av annat skäl", "Oui, défavorable, pour une autre raison"),
        opt("na", "Not applicable (no offer made)", "Ej tillämpligt (inget erbjudande)", "Sans objet (aucune offre)"),
    ],
    flag_when=answer("term_deviations", "equals", "unfavourable_other"),
    flag_explanation=t(
        "The terms deviate to the client's disadvantage without an objective reason. This is the core of "
        "unequal treatment in lending, whatever reason is written down.",
        "Villkoren avviker till kundens nackdel utan sakligt skäl. Det är kärnan i särbehandling vid "
        "kreditgivning, vilket skäl som än antecknas.",
        "Les conditions s'écartent au détriment du client sans raison objective. C'est le cœur de l'inégalité "
        "de traitement dans le crédit, quelle que soit la raison inscrite."),
    sources=[ECOA, FAIR, EU, SE, FR],
)
PROCESSING = item(
    "processing_time_normal", "yes_no_na",
    t("Was the processing time normal for this kind of case?",
      "Var handläggningstiden normal för den här typen av ärende?",
      "Le délai de traitement était-il habituel pour ce type de dossier ?"),
    t("Processing times are compared between groups. A case over 30 days is flagged unless you confirm it "
      "was normal for this kind of case.",
      "Handläggningstider jämförs mellan grupper. Ett ärende över 30 dagar flaggas om du inte bekräftar att "
      "tiden var normal för den här typen av ärende.",
      "Les délais de traitement sont comparés entre groupes. Un dossier de plus de 30 jours est signalé sauf "
      "si vous confirmez que ce délai était habituel."),
    required=True,
    flag_when=any_of(answer("processing_time_normal", "equals", "no"),
                     all_of(fact("processing_days", "gt", 30), not_(answer("processing_time_normal", "equals", "yes")))),
    flag_explanation=t(
        "The case took longer than usual. Longer processing for some groups is a fair-lending risk factor.",
        "Ärendet tog längre tid än vanligt. Längre handläggning för vissa grupper är en riskfaktor för "
        "särbehandling.",
        "Le dossier a pris plus de temps que d'habitude. Des délais plus longs pour certains groupes sont un "
        "facteur de risque de discrimination."),
    sources=[FAIR, RIR],
)
REASONS = reuse("reasons_given", EU, SE, FR)
reword(REASONS["guidance"], "fr", "ou de chercher ailleurs, et de vérifier",
       "ou de chercher un autre financement, et permettent de vérifier")
SERVICING = item(
    "servicing_equal", "single_choice",
    t("In servicing or default (payment holiday, restructuring, collection), was the client treated as others?",
      "Behandlades kunden som andra vid uppföljning eller betalningsproblem (anstånd, omförhandling, indrivning)?",
      "Dans le suivi ou en cas d'impayé (report, restructuration, recouvrement), le client a-t-il été traité "
      "comme les autres ?"),
    t("Equal-credit rules also cover treating borrowers differently in servicing or default. Answer when the "
      "loan has reached that stage.",
      "Regler om lika tillgång till kredit gäller även olika behandling vid uppföljning och betalningsproblem. "
      "Svara när lånet har nått dit.",
      "Les règles d'égalité d'accès au crédit couvrent aussi le suivi et les impayés. Répondez lorsque le prêt "
      "en est à ce stade."),
    options=[
        opt("same", "Yes", "Ja", "Oui"),
        opt("different", "No", "Nej", "Non"),
        opt("not_yet", "Not at that stage", "Inte aktuellt än", "Pas encore à ce stade"),
    ],
    flag_when=answer("servicing_equal", "equals", "different"),
    flag_explanation=t(
        "The borrower was treated differently in servicing or default. Unequal treatment does not end with "
        "the decision.",
        "Låntagaren behandlades annorlunda vid uppföljning eller betalningsproblem. Särbehandling tar inte "
        "slut vid beslutet.",
        "L'emprunteur a été traité différemment dans le suivi du prêt ou en cas d'impayé. L'inégalité de traitement ne "
        "s'arrête pas à la décision."),
    sources=[ECOA, EU],
)

# --- advice meeting only ---------------------------------------------------------------------------

DISCOURAGED = item(
    "discouraged", "single_choice",
    t("Did you advise the client to ask for less, to wait or not to apply?",
      "Rådde du kunden att söka mindre, att vänta eller att avstå från att söka?",
      "Avez-vous conseillé au client de demander moins, d'attendre ou de renoncer ?"),
    t("Advice to wait until the plan or figures are ready is normal in an advice meeting. Discouraging an "
      "application without such a reason is named by equal-credit rules.",
      "Råd att vänta tills planen eller siffrorna är klara är normalt i ett rådgivningsmöte. Att avråda "
      "från en ansökan utan ett sådant skäl nämns i regler om lika tillgång till kredit.",
      "Conseiller d'attendre que le projet ou les chiffres soient prêts est normal en rendez-vous d'accompagnement. "
      "Décourager une demande sans une telle raison est visé par les règles d'égalité d'accès au crédit."),
    required=True,
    options=[
        opt("no", "No", "Nej", "Non"),
        opt("wait_with_reason", "Yes, to wait until a stated step is done",
            "Ja, att vänta tills ett angivet steg är klart", "Oui, d'attendre qu'une étape précise soit franchie"),
        opt("discouraged", "Yes, without a concrete step", "Ja, utan ett konkret steg", "Oui, sans étape concrète"),
    ],
    flag_when=answer("discouraged", "equals", "discouraged"),
    flag_explanation=t(
        "The client was discouraged without a concrete step to take. Discouraged clients never appear in "
        "approval statistics, so the bias stays invisible.",
        "Kunden avråddes utan ett konkret steg att ta. Den som avråds syns aldrig i statistiken, så "
        "snedvridningen förblir osynlig.",
        "Le client a été découragé sans étape concrète à franchir. Les clients découragés n'apparaissent "
        "jamais dans les statistiques : le biais reste invisible."),
    sources=[ECOA, EU, SE, FR],
)
SECTOR = reuse("sector_judgement", MALM, RIR)
FOLLOW_UP = item(
    "follow_up_offered", "yes_no_na",
    t("Did you offer a follow-up meeting or contacts (banks, guarantee funds, solidarity-based finance)?",
      "Erbjöd du ett uppföljande möte eller kontakter (banker, garantifonder, etisk och social finansiering)?",
      "Avez-vous proposé un rendez-vous de suivi ou des contacts (banques, fonds de garantie, finance solidaire) ?"),
    t("Referrals and networks are part of the service. Offer them to every client in the same situation.",
      "Hänvisningar och nätverk är en del av tjänsten. Erbjud dem alla kunder i samma situation.",
      "Les orientations et les réseaux font partie du service. Proposez-les à tous les clients dans la même "
      "situation."),
    required=True,
    flag_when=answer("follow_up_offered", "equals", "no"),
    flag_explanation=t(
        "No follow-up was offered. Unequal access to networks and referrals is one of the ways advice differs "
        "between women and men.",
        "Ingen uppföljning erbjöds. Ojämlik tillgång till nätverk och hänvisningar är ett av sätten på vilka "
        "rådgivningen skiljer sig mellan kvinnor och män.",
        "Aucun suivi n'a été proposé. L'accès inégal aux réseaux et aux orientations est l'une des manières dont "
        "le conseil diffère entre femmes et hommes."),
    sources=[EU, SE],
)

REFLECTION_TITLE = t("Self-reflection (private)", "Självreflektion (privat)", "Autoréflexion (privée)")
FLAG_IS_NO_VERDICT = t("A flag is a sign to discuss, not a verdict.", "En flagga är ett tecken att diskutera, inte en dom.",
                       "Un signalement est un indice à discuter, pas un verdict.")


def _section(key: str, title: dict[str, str], items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"key": key, "title": title, "items": copy.deepcopy(items)}


def _meeting() -> dict[str, Any]:
    """The first section, the same in both checklists."""
    return _section("meeting", t("The meeting", "Mötet", "L'entretien"),
                    [ATTENDEES, ADDRESSED, SAME_INFORMATION, NEUTRAL_LANGUAGE])


def _questions(*more: dict[str, Any]) -> dict[str, Any]:
    return _section("questions", t("Questions and documents", "Frågor och handlingar", "Questions et documents"),
                    [FAMILY, GROWTH, STANDARD_DOCUMENTS, *more])


def _description(en: str, sv: str, fr: str) -> dict[str, str]:
    said = t(en, sv, fr)
    return {lang: f"{said[lang]} {FLAG_IS_NO_VERDICT[lang]}" for lang in said}


def _reflection(*keys: str) -> dict[str, Any]:
    what = copy.deepcopy(WHAT_DIFFERS)
    what["visible_when"] = _doubted(*keys)
    items = [REFLECT_ADVICE] + ([REFLECT_TERMS] if "same_terms" in keys else []) + [what]
    return _section("reflection", REFLECTION_TITLE, items)


def build_credit() -> dict[str, Any]:
    return template(
        "credit_decision",
        t("Equal treatment in credit decisions", "Likabehandling vid kreditbeslut",
          "Égalité de traitement dans les décisions de crédit"),
        _description("For credit agents, filled in for one case after the decision.",
                     "För kredithandläggare. Fylls i för ett ärende efter beslutet.",
                     "Pour les chargés de crédit, à remplir pour un dossier après la décision."),
        [
            _meeting(),
            _questions(ENCOURAGED, INCOMPLETE),
            _section("assessment", t("Assessment", "Bedömning", "Analyse du dossier"),
                     [CRITERIA, PLAN, EXCEPTION, EXCEPTION_DOC]),
            _section("terms", t("Terms", "Villkor", "Conditions"), [RATE, COLLATERAL, GUARANTOR, DEVIATION, STEERED]),
            _section("decision", t("Decision and follow-up", "Beslut och uppföljning", "Décision et suivi"),
                     [PROCESSING, REASONS, SERVICING]),
            _reflection("same_advice", "same_terms"),
        ],
    )


def build_advice() -> dict[str, Any]:
    return template(
        "advice_meeting",
        t("Equal treatment in advice meetings", "Likabehandling i rådgivningsmöten",
          "Égalité de traitement dans les rendez-vous d'accompagnement"),
        _description("For business advisors, filled in after an advice meeting.",
                     "För företagsrådgivare. Fylls i efter ett rådgivningsmöte.",
                     "Pour les conseillers d'entreprise, à remplir après un rendez-vous d'accompagnement."),
        [
            _meeting(),
            _questions(),
            _section("advice", t("Advice given", "Rådgivningen", "Le conseil donné"),
                     [SECTOR, ENCOURAGED, DISCOURAGED, STEERED, FOLLOW_UP]),
            _reflection("same_advice"),
        ],
    )


# The first checklist names the supervisor three ways in Swedish: one name throughout.
SV_SUPERVISOR = (("Banktillsynen", "Tillsynsmyndigheter"), ("som tillsynen granskar", "som tillsynsmyndigheter granskar"))


def _typeset_all(node: Any) -> Any:
    """French texts get the typographic apostrophe (l’entretien); Swedish ones one name for the supervisor."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "fr" and isinstance(v, str):
                v = v.replace("'", "’")
            elif k == "sv" and isinstance(v, str):
                for old, new in SV_SUPERVISOR:
                    v = v.replace(old, new)
            else:
                v = _typeset_all(v)
            out[k] = v
        return out
    if isinstance(node, list):
        return [_typeset_all(v) for v in node]
    return node


BUILDERS = {"credit_decision": lambda: _typeset_all(build_credit()),
            "advice_meeting": lambda: _typeset_all(build_advice())}


def render(key: str) -> str:
    """Parse and validate one checklist (warnings included); return its canonical JSON."""
    return render_template(BUILDERS[key](), key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files are up to date")
    args = parser.parse_args(argv)
    return write_or_check({path: render(key) for key, path in OUTPUTS.items()}, "build_checklists.py", args.check)


if __name__ == "__main__":
    sys.exit(main())
