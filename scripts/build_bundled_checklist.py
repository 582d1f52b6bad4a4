"""Build the bundled checklist ``checklists/equal-treatment-credit.json`` from this source.

This script is the source of truth for the bundled checklist: edit the texts and rules here,
then regenerate the JSON (run from anywhere)::

    python scripts/build_bundled_checklist.py          # write the file
    python scripts/build_bundled_checklist.py --check  # exit 1 when the file is out of date

The checklist is our own text (the original is not public), written from the project's domain brief:
research on hindering vs promoting questions (Malmström, Luleå University of Technology), the
Swedish National Audit Office's review of Almi (Riksrevisionen 2019:7), the behaviours named by
equal-credit rules (US ECOA / Regulation B), supervisors' fair-lending risk factors and the
Women's World Banking gender-bias scorecard. The written file is the canonical JSON of the
parsed template, so it equals ``parse_template(data).canonical_json()`` byte for byte.

It has been followed by *Credit decision* and *Advice meeting* (``build_checklists.py``, which
reuses items of this one), and stays bundled and byte for byte the same for the cases filled with
it. This is a data module (the checklist's texts and rules), longer than code modules on purpose;
the helpers it shares with the newer checklists are in ``checklist_kit.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checklist_kit import (  # noqa: E402  (scripts are not a package)
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
    write_or_check,
)

OUTPUT = ROOT / "checklists" / "equal-treatment-credit.json"
TEMPLATE_KEY = "equal_treatment_credit"

__all__ = ["OUTPUT", "TEMPLATE_KEY", "all_of", "answer", "any_of", "build", "fact", "item", "main", "not_", "opt",
           "render", "t"]


YES_NO_UNSURE = [
    opt("yes", "Yes", "Ja", "Oui"),
    opt("no", "No", "Nej", "Non"),
    opt("unsure", "Unsure", "Osäker", "Je ne sais pas"),
]
REDUCED_OR_REFUSED = fact("decision", "in", ["partly_granted", "refused"])
LOW_SHARE = all_of(fact("decision", "equals", "partly_granted"), fact("granted_ratio", "lt", 0.5))
DEVIATING_TERMS = all_of(answer("term_deviations", "answered"), not_(answer("term_deviations", "contains", "none")))
SAME_ADVICE_DOUBTED = any_of(
    answer("same_advice", "in", ["no", "unsure"]),
    answer("same_terms", "in", ["no", "unsure"]),
)
SLOW_CASE = any_of(answer("processing_time_normal", "equals", "no"), fact("processing_days", "gt", 30))


# --- 1. the meeting ---------------------------------------------------------------------------

MEETING = {
    "key": "meeting",
    "title": t("The meeting", "Mötet", "L'entretien"),
    "items": [
        item(
            "meeting_attendees", "single_choice",
            t("Who attended the meeting on the client's side?",
              "Vem deltog i mötet från kundens sida?",
              "Qui a participé à l'entretien du côté du client ?"),
            t("Record who came, not who owns the business: ownership is a separate, self-declared case fact. "
              "Riksrevisionen's audit of Almi (2019:7) found that mixed teams had been counted as women, so "
              "note a team as a team; the next item checks whom you addressed.",
              "Ange vem som kom, inte vem som äger företaget: ägarskapet registreras separat, så som kunden själv "
              "uppger det. Riksrevisionens granskning av Almi (RiR 2019:7) visade att blandade team hade räknats "
              "som kvinnor, så registrera ett team som ett team; nästa punkt gäller vem du vände dig till.",
              "Indiquez qui est venu, et non qui détient l'entreprise : la propriété est une donnée distincte, "
              "déclarée par le client. L'audit d'Almi par la Cour des comptes suédoise (Riksrevisionen, 2019:7) "
              "a montré que des équipes mixtes avaient été comptées comme des femmes : notez une équipe comme "
              "une équipe ; la question suivante porte sur la personne à qui vous vous êtes adressé."),
            required=True,
            weight=0,
            options=[
                opt("one_person", "One person", "En person", "Une seule personne"),
                opt("couple", "A couple (life partners)", "Ett par (livspartner)", "Un couple"),
                opt("team", "A team of co-owners, partners or board members",
                    "Ett team av delägare, kompanjoner eller styrelseledamöter",
                    "Une équipe d'associés ou de membres du conseil d'administration"),
            ],
        ),
        item(
            "addressed_whom", "single_choice",
            t("Whom did you mainly address during the meeting?",
              "Vem vände du dig främst till under mötet?",
              "Pendant l'entretien, à qui vos questions et explications s'adressaient-elles surtout ?"),
            t("Bank supervisors list giving different information or service on the basis of sex or marital "
              "status among the behaviours to check. When a couple or a team comes, it is easy to turn to the "
              "person who looks like the 'business' partner: speak to the person who runs the business and to "
              "all owners alike.",
              "Banktillsynen räknar olika information eller service utifrån kön eller civilstånd till de "
              "beteenden som ska granskas. När ett par eller ett team kommer är det lätt att vända sig till den "
              "som ser ut som 'affärspartnern': tala med den som driver företaget och med alla ägare på samma sätt.",
              "Les superviseurs bancaires rangent le fait de donner une information ou un service différents "
              "selon le sexe ou la situation matrimoniale parmi les comportements à vérifier. Face à un couple ou "
              "à une équipe, on se tourne facilement vers la personne qui a « l'air » de porter le projet : "
              "adressez-vous à la personne qui dirige l'entreprise et à tous les associés de la même manière."),
            required=True,
            options=[
                opt("all_equally", "All participants equally", "Alla deltagare lika mycket",
                    "À tous les participants de la même manière"),
                opt("business_lead", "Mainly the person who runs the business", "Främst den som driver företaget",
                    "Surtout à la personne qui dirige l'entreprise"),
                opt("other_person", "Mainly someone who does not run the business (e.g. a spouse or partner)",
                    "Främst någon som inte driver företaget (t.ex. make, maka eller partner)",
                    "Surtout à une personne qui ne dirige pas l'entreprise (par exemple le conjoint)"),
            ],
            visible_when=answer("meeting_attendees", "in", ["couple", "team"]),
            flag_when=answer("addressed_whom", "equals", "other_person"),
            flag_explanation=t(
                "Addressing someone other than the person who runs the business signals that the entrepreneur "
                "is not seen as the decision-maker. It is different service in the sense of equal-credit rules, "
                "and it tends to follow gender stereotypes about who runs a business.",
                "Att vända sig till någon annan än den som driver företaget signalerar att företagaren inte ses "
                "som den som fattar besluten. Det är olika service i den mening som avses i regler om lika tillgång "
                "till kredit, och det följer ofta stereotypa föreställningar om vem som driver företag.",
                "S'adresser à une autre personne que celle qui dirige l'entreprise signifie que l'on ne voit pas "
                "l'entrepreneur comme le décideur. C'est un service différencié au sens des règles d'égalité "
                "d'accès au crédit, qui suit souvent les stéréotypes de genre sur qui dirige une entreprise."),
        ),
        item(
            "meeting_minutes", "integer",
            t("How long did the meeting last (minutes)?",
              "Hur länge varade mötet (minuter)?",
              "Combien de temps l'entretien a-t-il duré (en minutes) ?"),
            t("Equal treatment starts with the same time and attention for every client. Meeting times are only "
              "compared in aggregates, to see whether they differ between ownership groups, never case by case.",
              "Likabehandling börjar med samma tid och uppmärksamhet för alla kunder. Mötestiderna jämförs bara "
              "i sammanställningar, för att se om de skiljer sig mellan ägargrupper, aldrig ärende för ärende.",
              "L'égalité de traitement commence par le même temps et la même attention pour chaque client. Les "
              "durées d'entretien ne sont comparées qu'en agrégat, pour voir si elles diffèrent selon les groupes "
              "de propriétaires, jamais dossier par dossier."),
            min=0,
            max=480,
            weight=0,
        ),
        item(
            "same_information", "yes_no_na",
            t("Did the client receive the same information about products, terms and support schemes that you "
              "give other clients?",
              "Fick kunden samma information om produkter, villkor och stödformer som du ger andra kunder?",
              "Le client a-t-il reçu les mêmes informations sur les produits, les conditions et les dispositifs "
              "d'accompagnement que vos autres clients ?"),
            t("Giving different information or service on a prohibited basis such as sex or marital status is "
              "the first behaviour supervisors check under equal-credit rules (US ECOA / Regulation B). Think of "
              "what a typical client with the same need hears from you.",
              "Att ge olika information eller service på en otillåten grund, till exempel kön eller civilstånd, "
              "är det första beteende som tillsynen granskar enligt regler om lika tillgång till kredit "
              "(amerikanska ECOA / Regulation B). Tänk på vad en typisk kund med samma behov brukar få höra av dig.",
              "Donner une information ou un service différents pour un motif prohibé, comme le sexe ou la "
              "situation matrimoniale, est le premier comportement que vérifient les superviseurs au titre des "
              "règles d'égalité d'accès au crédit (ECOA / Regulation B aux États-Unis). Pensez à ce que vous "
              "dites d'habitude à un client qui a le même besoin."),
            required=True,
            weight=2,
            flag_when=answer("same_information", "equals", "no"),
            flag_explanation=t(
                "The client got less information than other clients. Different information or service is a "
                "recognised form of unequal treatment: a client cannot use options they never heard of.",
                "Kunden fick mindre information än andra kunder. Olika information eller service är en erkänd "
                "form av särbehandling: ingen kan använda möjligheter som hen aldrig fått höra talas om.",
                "Le client a reçu moins d'informations que les autres. Une information ou un service différents "
                "constituent une forme reconnue d'inégalité de traitement : on ne peut pas saisir une possibilité "
                "dont on n'a jamais entendu parler."),
        ),
        item(
            "discouraged", "yes_no_na",
            t("Before the case was assessed, did you advise the client to ask for less, to wait or not to apply?",
              "Rådde du kunden att söka ett lägre belopp, vänta eller avstå från att ansöka innan ärendet hade "
              "bedömts?",
              "Avant l'analyse du dossier, avez-vous conseillé au client de demander moins, d'attendre ou de "
              "renoncer à sa demande ?"),
            t("Regulation B names discouraging some applicants while selectively encouraging others as a "
              "behaviour to check. Discouraged clients never appear in approval statistics, so the bias stays "
              "invisible; advice on the amount belongs in the assessment, based on the figures.",
              "Regulation B pekar ut att avskräcka vissa sökande och selektivt uppmuntra andra som ett beteende "
              "att granska. Den som avskräcks syns aldrig i statistiken över beviljade ansökningar, så "
              "snedvridningen förblir osynlig; råd om beloppet hör hemma i bedömningen och ska bygga på siffrorna.",
              "La Regulation B cite le fait de décourager certains demandeurs tout en encourageant sélectivement "
              "d'autres parmi les comportements à vérifier. Les clients découragés n'apparaissent jamais dans les "
              "statistiques d'octroi, si bien que le biais reste invisible ; un conseil sur le montant relève de "
              "l'analyse du dossier et doit s'appuyer sur les chiffres."),
            required=True,
            flag_when=answer("discouraged", "equals", "yes"),
            flag_explanation=t(
                "The client was discouraged before any assessment. Discouraging applicants is a form of unequal "
                "treatment named by equal-credit rules, and it hides the case from approval-rate comparisons.",
                "Kunden avskräcktes innan någon bedömning gjorts. Att avskräcka sökande är en form av "
                "särbehandling som nämns i regler om lika tillgång till kredit, och ärendet syns då inte när "
                "beviljandegraden jämförs.",
                "Le client a été découragé avant toute analyse. Décourager un demandeur est une forme "
                "d'inégalité de traitement citée par les règles d'égalité d'accès au crédit, et cela soustrait le "
                "dossier aux comparaisons des taux d'acceptation."),
        ),
        item(
            "neutral_language", "yes_no_na",
            t("Did you describe the business and the entrepreneur in the same business terms you use for other "
              "clients (no diminutives such as 'little project' or 'hobby')?",
              "Beskrev du företaget och företagaren med samma affärsmässiga ord som du använder för andra kunder "
              "(inga förminskande ord som 'litet projekt' eller 'hobby')?",
              "Avez-vous décrit l'entreprise et la personne qui la dirige dans les mêmes termes professionnels "
              "que pour vos autres clients (sans diminutifs comme « petit projet » ou « passe-temps ») ?"),
            t("The words used about a business shape how its potential is judged. In Malmström's Swedish study "
              "financiers talked with women mostly about risks and with men about growth, and the women received "
              "a much smaller share of the capital they asked for.",
              "Orden om ett företag påverkar hur dess potential bedöms. I Malmströms svenska studie talade "
              "finansiärer med kvinnor mest om risker och med män om tillväxt, och kvinnorna fick en betydligt "
              "mindre del av det kapital de sökte.",
              "Les mots employés pour parler d'une entreprise influencent l'appréciation de son potentiel. Dans "
              "l'étude suédoise de Malmström, les financeurs parlaient surtout de risques avec les femmes et de "
              "croissance avec les hommes, et les femmes obtenaient une part bien plus faible du capital demandé."),
            flag_when=answer("neutral_language", "equals", "no"),
            flag_explanation=t(
                "Belittling words signal that the business is not taken as seriously as others. They tend to go "
                "with risk-focused questions and lower amounts, the pattern Swedish research found for women "
                "entrepreneurs.",
                "Förminskande ord signalerar att företaget inte tas lika allvarligt som andra. De går ofta hand i "
                "hand med riskfokuserade frågor och lägre belopp, det mönster som svensk forskning funnit för "
                "kvinnliga företagare.",
                "Des termes dévalorisants montrent que l'entreprise n'est pas prise aussi au sérieux que les "
                "autres. Ils vont souvent de pair avec des questions centrées sur le risque et des montants plus "
                "faibles, schéma que la recherche suédoise a observé pour les entrepreneuses."),
        ),
        item(
            "ownership_self_declared", "yes_no_na",
            t("Was the ownership of the business recorded as the client declared it (including 'mixed' or "
              "'not disclosed') rather than guessed?",
              "Registrerades företagets ägarskap så som kunden själv uppgav det (även 'blandat' eller 'ej "
              "uppgivet') i stället för att gissas?",
              "La répartition de la propriété de l'entreprise a-t-elle été enregistrée telle que le client l'a "
              "déclarée (y compris « mixte » ou « non communiqué ») plutôt que devinée ?"),
            t("The gender of owners is personal data: record it only as the client declares it, and accept "
              "'not disclosed'. Riksrevisionen's audit of Almi (2019:7) found mixed teams counted as women, which "
              "blurs every comparison; mixed ownership is always its own category.",
              "Ägarnas kön är personuppgifter: registrera det bara så som kunden själv uppger det, och godta "
              "'ej uppgivet'. Riksrevisionens granskning av Almi (RiR 2019:7) visade att blandade team hade "
              "räknats som kvinnor, vilket gör varje jämförelse otydlig; blandat ägarskap är alltid en egen "
              "kategori.",
              "Le sexe des propriétaires est une donnée personnelle : ne l'enregistrez que tel que le client le "
              "déclare, et acceptez « non communiqué ». L'audit d'Almi par Riksrevisionen (2019:7) a montré que "
              "des équipes mixtes avaient été comptées comme des femmes, ce qui fausse toute comparaison ; la "
              "propriété mixte forme toujours une catégorie à part."),
            required=True,
            flag_when=answer("ownership_self_declared", "equals", "no"),
            flag_explanation=t(
                "Guessed ownership makes the statistics unreliable and processes personal data without need. "
                "Without reliable groups, gaps in approval rates, amounts or terms between women-led, men-led and "
                "mixed businesses cannot be detected.",
                "Gissat ägarskap gör statistiken opålitlig och innebär en onödig behandling av personuppgifter. "
                "Utan tillförlitliga grupper går det inte att upptäcka skillnader i beviljandegrad, belopp eller "
                "villkor mellan kvinnoledda, mansledda och blandade företag.",
                "Une propriété devinée rend les statistiques peu fiables et constitue un traitement inutile de "
                "données personnelles. Sans groupes fiables, impossible de détecter des écarts de taux "
                "d'acceptation, de montants ou de conditions entre entreprises dirigées par des femmes, par des "
                "hommes ou mixtes."),
        ),
    ],
}


# --- 2. questions asked -----------------------------------------------------------------------

QUESTIONS = {
    "key": "questions",
    "title": t("Questions asked", "Frågor som ställdes", "Questions posées"),
    "items": [
        item(
            "questions_note", "note",
            t("Promoting and hindering questions",
              "Främjande och hämmande frågor",
              "Questions qui valorisent, questions qui freinent"),
            t("In Malmström's study at Luleå University of Technology, financiers asked women more 'hindering' "
              "questions (risks, family, what could go wrong) and men more 'promoting' ones (growth, potential). "
              "The women received on average about 25 % of the capital they asked for, the men over half. Ask "
              "every client both kinds of question.",
              "I Malmströms studie vid Luleå tekniska universitet ställde finansiärer fler 'hämmande' frågor till "
              "kvinnor (risker, familj, vad som kan gå fel) och fler 'främjande' frågor till män (tillväxt, "
              "potential). Kvinnorna fick i genomsnitt omkring 25 % av det kapital de sökte, männen över hälften. "
              "Ställ båda sortens frågor till alla kunder.",
              "Dans l'étude de Malmström (Université de technologie de Luleå), les financeurs posaient davantage "
              "de questions « freinantes » aux femmes (risques, famille, ce qui pourrait mal tourner) et de "
              "questions « valorisantes » aux hommes (croissance, potentiel). Les femmes obtenaient en moyenne "
              "environ 25 % du capital demandé, les hommes plus de la moitié. Posez les deux types de questions "
              "à chaque client."),
        ),
        item(
            "family_questions", "yes_no_na",
            t("Did you ask about family, children, childcare or the role of a spouse or partner who is not an "
              "owner?",
              "Frågade du om familj, barn, barnomsorg eller om rollen för en make, maka eller partner som inte är "
              "delägare?",
              "Avez-vous posé des questions sur la famille, les enfants, leur garde ou le rôle d'un conjoint qui "
              "n'est pas associé ?"),
            t("Family and partner questions are typical 'hindering' questions; in Malmström's study they were put "
              "mainly to women. Marital status is a prohibited basis under equal-credit rules: if a question about "
              "the household is really needed for the case, ask it of every client.",
              "Frågor om familj och partner är typiska 'hämmande' frågor; i Malmströms studie ställdes de främst "
              "till kvinnor. Civilstånd är en otillåten grund enligt regler om lika tillgång till kredit: om en "
              "fråga om hushållet verkligen behövs för ärendet ska den ställas till alla kunder.",
              "Les questions sur la famille et le conjoint sont des questions « freinantes » typiques ; dans "
              "l'étude de Malmström, elles étaient posées surtout aux femmes. La situation matrimoniale est un "
              "motif prohibé au regard des règles d'égalité d'accès au crédit : si une question sur le foyer est "
              "vraiment nécessaire au dossier, posez-la à tous les clients."),
            required=True,
            weight=2,
            flag_when=answer("family_questions", "equals", "yes"),
            flag_explanation=t(
                "Questions about family, childcare or a partner's role suggest that the client's commitment or "
                "capacity is doubted because of gender or family situation. In Swedish research such questions "
                "were put mainly to women and went with lower amounts granted.",
                "Frågor om familj, barnomsorg eller partnerns roll antyder att kundens engagemang eller förmåga "
                "ifrågasätts på grund av kön eller familjesituation. I svensk forskning ställdes sådana frågor "
                "främst till kvinnor och gick hand i hand med lägre beviljade belopp.",
                "Des questions sur la famille, la garde des enfants ou le rôle du conjoint laissent entendre que "
                "l'engagement ou la capacité du client est mis en doute en raison de son sexe ou de sa situation "
                "familiale. Dans la recherche suédoise, elles étaient posées surtout aux femmes et allaient de "
                "pair avec des montants accordés plus faibles."),
        ),
        item(
            "family_reason", "long_text",
            t("Why were these questions needed for the case, and do you ask them of every client?",
              "Varför behövdes frågorna för ärendet, och ställer du dem till alla kunder?",
              "Pourquoi ces questions étaient-elles nécessaires au dossier, et les posez-vous à tous vos clients ?"),
            t("Write the business reason, for example a household budget that your credit policy requires to "
              "assess a sole trader's repayment capacity. If you would not have asked a client of another gender, "
              "say so: it is useful material for training.",
              "Skriv det affärsmässiga skälet, till exempel en hushållsbudget som er kreditpolicy kräver för att "
              "bedöma en enskild näringsidkares återbetalningsförmåga. Om du inte hade frågat en kund av ett "
              "annat kön, skriv det också: det är värdefullt underlag för utbildningen.",
              "Indiquez la raison liée à l'activité, par exemple un budget du foyer exigé par votre politique de "
              "crédit pour évaluer la capacité de remboursement d'un entrepreneur individuel. Si vous n'auriez "
              "pas posé la question à un client d'un autre sexe, dites-le : c'est une matière précieuse pour la "
              "formation."),
            required=True,
            weight=0,
            visible_when=answer("family_questions", "equals", "yes"),
        ),
        item(
            "growth_questions", "yes_no_na",
            t("Did you ask about growth plans, ambitions and the market potential of the business?",
              "Frågade du om tillväxtplaner, ambitioner och företagets marknadspotential?",
              "Avez-vous interrogé le client sur ses projets de croissance, ses ambitions et le potentiel de "
              "marché de l'entreprise ?"),
            t("Growth and potential are 'promoting' questions: they let the client show what the business could "
              "become. In Malmström's study men got more of them and also a larger share of the capital they asked "
              "for, so ask them of every client.",
              "Tillväxt och potential är 'främjande' frågor: de ger kunden chansen att visa vad företaget kan bli. "
              "I Malmströms studie fick män fler sådana frågor och också en större del av det kapital de sökte, så "
              "ställ dem till alla kunder.",
              "La croissance et le potentiel relèvent des questions « valorisantes » : elles permettent au client "
              "de montrer ce que l'entreprise pourrait devenir. Dans l'étude de Malmström, les hommes en "
              "recevaient davantage et obtenaient aussi une plus grande part du capital demandé : posez-les à "
              "chaque client."),
            required=True,
            weight=2,
            flag_when=answer("growth_questions", "equals", "no"),
            flag_explanation=t(
                "Without growth questions the client had no chance to argue for the business's potential, so the "
                "assessment rests on its risks alone. This is the pattern that left women in Swedish research with "
                "about a quarter of the capital they asked for.",
                "Utan frågor om tillväxt fick kunden ingen chans att argumentera för företagets potential, och "
                "bedömningen vilar då bara på riskerna. Det är det mönster som i svensk forskning gav kvinnor "
                "ungefär en fjärdedel av det kapital de sökte.",
                "Sans questions sur la croissance, le client n'a pas pu défendre le potentiel de son entreprise et "
                "l'analyse ne repose plus que sur les risques. C'est le schéma qui, dans la recherche suédoise, "
                "laissait aux femmes environ un quart du capital demandé."),
        ),
        item(
            "question_balance", "scale",
            t("How were your questions balanced? (1 = almost only risks and what could go wrong, 5 = almost only "
              "growth and opportunities)",
              "Hur fördelade sig dina frågor? (1 = nästan bara risker och vad som kan gå fel, 5 = nästan bara "
              "tillväxt och möjligheter)",
              "Comment vos questions se répartissaient-elles ? (1 = presque uniquement les risques et ce qui "
              "pourrait mal tourner, 5 = presque uniquement la croissance et les opportunités)"),
            t("Answer honestly: a good credit meeting covers both risks and potential, usually around 3. The "
              "answers are compared only in aggregates, to see whether some groups of clients systematically get "
              "more risk-focused meetings.",
              "Svara ärligt: ett bra kreditmöte tar upp både risker och potential, oftast runt 3. Svaren jämförs "
              "bara i sammanställningar, för att se om vissa kundgrupper systematiskt får mer riskfokuserade möten.",
              "Répondez honnêtement : un bon entretien de crédit aborde à la fois les risques et le potentiel, en "
              "général autour de 3. Les réponses ne sont comparées qu'en agrégat, pour voir si certains groupes "
              "de clients ont systématiquement des entretiens plus centrés sur le risque."),
            required=True,
            flag_when=answer("question_balance", "le", 2),
            flag_explanation=t(
                "A meeting dominated by questions about risks leaves the client little room to show potential. "
                "The financiers in Malmström's study asked women mostly such 'hindering' questions, and those "
                "applicants received less capital.",
                "Ett möte som domineras av frågor om risker ger kunden lite utrymme att visa potential. "
                "Finansiärerna i Malmströms studie ställde främst sådana 'hämmande' frågor till kvinnor, och de "
                "sökande fick mindre kapital.",
                "Un entretien dominé par les questions sur les risques laisse peu de place au client pour montrer "
                "le potentiel de son projet. Dans l'étude de Malmström, les financeurs posaient surtout ce type de "
                "questions « freinantes » aux femmes, qui obtenaient moins de capital."),
        ),
        item(
            "documents_requested", "multiple_choice",
            t("Which documents did you ask the client to provide?",
              "Vilka handlingar bad du kunden att lämna in?",
              "Quels documents avez-vous demandé au client de fournir ?"),
            t("Testimony to the Canadian parliament's committee on the status of women reported that women are "
              "asked more often for cash-flow projections, asset appraisals and personal financial statements. "
              "Tick everything you asked for, so that the lists can be compared across clients.",
              "Vittnesmål inför det kanadensiska parlamentets utskott för kvinnors ställning visade att kvinnor "
              "oftare avkrävs kassaflödesprognoser, värderingar av tillgångar och privatekonomiska "
              "sammanställningar. Markera allt du bad om, så att listorna kan jämföras mellan kunder.",
              "Des témoignages devant le comité de la condition féminine du Parlement canadien ont rapporté que "
              "l'on demande plus souvent aux femmes des prévisions de trésorerie, des évaluations d'actifs et des "
              "états de leur situation financière personnelle. Cochez tout ce que vous avez demandé, afin de "
              "pouvoir comparer les listes d'un client à l'autre."),
            required=True,
            options=[
                opt("business_plan", "Business plan", "Affärsplan", "Plan d'affaires"),
                opt("cash_flow_forecast", "Cash-flow forecast", "Likviditetsbudget eller kassaflödesprognos",
                    "Plan de trésorerie prévisionnel"),
                opt("annual_accounts", "Annual accounts or latest financial statements",
                    "Årsredovisning eller senaste bokslut", "Comptes annuels ou derniers états financiers"),
                opt("asset_appraisal", "Appraisal of assets or collateral", "Värdering av tillgångar eller säkerheter",
                    "Évaluation des actifs ou des garanties"),
                opt("personal_financial_statement", "Personal financial statement of the owners",
                    "Ägarnas privatekonomiska sammanställning", "Situation financière personnelle des associés"),
                opt("partner_information", "Information on a spouse or partner who is not an owner",
                    "Uppgifter om make, maka eller partner som inte är delägare",
                    "Informations sur un conjoint non associé"),
                opt("credit_report", "Credit report", "Kreditupplysning", "Rapport de solvabilité"),
                opt("other", "Other documents", "Andra handlingar", "Autres documents"),
            ],
            flag_when=answer("documents_requested", "contains", "partner_information"),
            flag_explanation=t(
                "Information about a spouse or partner who is not an owner is not needed to assess the business. "
                "Equal-credit rules (Regulation B) restrict such requests because they bring marital status, a "
                "prohibited basis, into the credit decision.",
                "Uppgifter om en make, maka eller partner som inte är delägare behövs inte för att bedöma "
                "företaget. Regler om lika tillgång till kredit (Regulation B) begränsar sådana krav eftersom de "
                "för in civilstånd, en otillåten grund, i kreditbeslutet.",
                "Les informations sur un conjoint non associé ne sont pas nécessaires pour évaluer l'entreprise. "
                "Les règles d'égalité d'accès au crédit (Regulation B) limitent ce type de demande, car il fait "
                "entrer la situation matrimoniale, motif prohibé, dans la décision de crédit."),
        ),
        item(
            "standard_documents", "yes_no_na",
            t("Were these the documents your procedure requires of every client with a comparable case?",
              "Var det de handlingar som era rutiner kräver av alla kunder med ett jämförbart ärende?",
              "S'agissait-il des documents que votre procédure exige de tout client dans un dossier comparable ?"),
            t("A standard document list per type and size of case protects both the client and you. Asking some "
              "clients for more paperwork delays their case and signals doubt, and the extra burden has been "
              "reported to fall more often on women.",
              "En standardlista över handlingar per typ och storlek av ärende skyddar både kunden och dig. Att "
              "begära mer underlag av vissa kunder fördröjer deras ärende och signalerar tvivel, och den extra "
              "bördan har rapporterats drabba kvinnor oftare.",
              "Une liste type de documents par nature et taille de dossier protège à la fois le client et "
              "vous-même. Exiger davantage de pièces de certains clients retarde leur dossier et traduit une "
              "méfiance ; selon les témoignages recueillis, cette charge supplémentaire pèse plus souvent sur "
              "les femmes."),
            required=True,
            weight=2,
            flag_when=answer("standard_documents", "equals", "no"),
            flag_explanation=t(
                "Requesting different documents from comparable clients is using different standards. Extra "
                "demands such as personal financial statements or appraisals have been reported to fall more "
                "often on women, and they slow down or discourage applications.",
                "Att begära olika handlingar av jämförbara kunder är att använda olika måttstockar. Extra krav som "
                "privatekonomiska sammanställningar eller värderingar har rapporterats drabba kvinnor oftare, och "
                "de fördröjer eller avskräcker ansökningar.",
                "Demander des documents différents à des clients comparables revient à appliquer des critères "
                "différents. Les exigences supplémentaires, comme une situation financière personnelle ou des "
                "évaluations, pèsent selon les témoignages plus souvent sur les femmes, et elles ralentissent ou "
                "découragent les demandes."),
        ),
    ],
}


# --- 3. assessment of the plan ------------------------------------------------------------------

ASSESSMENT = {
    "key": "assessment",
    "title": t("Assessment of the plan", "Bedömning av affärsplanen", "Analyse du projet"),
    "items": [
        item(
            "sector_judgement", "single_choice",
            t("On what basis did you judge the prospects of the business's sector?",
              "Vad grundade du bedömningen av branschens framtidsutsikter på?",
              "Sur quelle base avez-vous apprécié les perspectives du secteur d'activité ?"),
            t("Judge a sector by its demand, margins and growth potential, not by whether it is 'typically "
              "female' (services, care) or 'typically male' (construction, technology). Gender-typed sectors are "
              "easily dismissed as low-growth, or trusted as safe, without figures to support it.",
              "Bedöm en bransch utifrån efterfrågan, marginaler och tillväxtpotential, inte utifrån om den är "
              "'typiskt kvinnlig' (tjänster, vård och omsorg) eller 'typiskt manlig' (bygg, teknik). Könsmärkta "
              "branscher avfärdas lätt som tillväxtsvaga, eller ses som säkra, utan siffror som stöder det.",
              "Appréciez un secteur selon sa demande, ses marges et son potentiel de croissance, et non parce "
              "qu'il serait « typiquement féminin » (services, soins) ou « typiquement masculin » (bâtiment, "
              "technologie). Les secteurs perçus comme genrés sont facilement jugés peu porteurs, ou au "
              "contraire sûrs, sans chiffres à l'appui."),
            required=True,
            weight=2,
            options=[
                opt("market_evidence", "Market data, demand and the plan's own figures",
                    "Marknadsdata, efterfrågan och affärsplanens egna siffror",
                    "Données de marché, demande et chiffres du projet lui-même"),
                opt("gender_typed", "Partly on the sector being 'typically female' or 'typically male'",
                    "Delvis på att branschen är 'typiskt kvinnlig' eller 'typiskt manlig'",
                    "En partie sur le caractère « typiquement féminin » ou « typiquement masculin » du secteur"),
                opt("not_assessed", "The sector was not part of the assessment", "Branschen ingick inte i bedömningen",
                    "Le secteur n'a pas été pris en compte dans l'analyse"),
            ],
            flag_when=answer("sector_judgement", "equals", "gender_typed"),
            flag_explanation=t(
                "Judging a sector by its gender image rather than its market is using a different standard to "
                "decide. It penalises women-dominated sectors such as services and care, labelling their "
                "businesses as low-growth without evidence.",
                "Att bedöma en bransch efter dess könsprägel i stället för dess marknad är att använda en annan "
                "måttstock för beslutet. Det missgynnar kvinnodominerade branscher som tjänster, vård och omsorg "
                "och stämplar deras företag som tillväxtsvaga utan belägg.",
                "Juger un secteur sur son image genrée plutôt que sur son marché revient à appliquer un critère de "
                "décision différent. Cela pénalise les secteurs à dominante féminine, comme les services et les "
                "soins, en faisant passer leurs entreprises pour peu porteuses sans preuve."),
        ),
        item(
            "written_criteria", "yes_no_na",
            t("Did you assess the case against the written criteria of your credit policy, as for other cases?",
              "Bedömde du ärendet mot de skrivna kriterierna i er kreditpolicy, på samma sätt som andra ärenden?",
              "Avez-vous analysé le dossier selon les critères écrits de votre politique de crédit, comme pour "
              "les autres dossiers ?"),
            t("Supervisors list subjective or vague criteria as a fair-lending risk factor: a gut feeling about "
              "'the person' is where stereotypes enter. Refer to the written criteria and note which ones decided "
              "the case.",
              "Tillsynsmyndigheter anger subjektiva eller vaga kriterier som en riskfaktor för särbehandling: "
              "magkänslan om 'personen' är där stereotyperna kommer in. Utgå från de skrivna kriterierna och "
              "notera vilka som avgjorde ärendet.",
              "Les superviseurs citent les critères subjectifs ou flous comme un facteur de risque de "
              "discrimination : c'est par l'intuition sur « la personne » que les stéréotypes s'introduisent. "
              "Appuyez-vous sur les critères écrits et notez ceux qui ont été déterminants."),
            required=True,
            weight=2,
            flag_when=answer("written_criteria", "equals", "no"),
            flag_explanation=t(
                "Deciding without the written criteria lets the standard vary from client to client. Using "
                "different standards to decide is one of the behaviours equal-credit rules name, and vague "
                "criteria are a recognised risk factor.",
                "Att besluta utan de skrivna kriterierna gör att måttstocken kan variera från kund till kund. "
                "Olika måttstockar vid beslut är ett av de beteenden som regler om lika tillgång till kredit pekar "
                "ut, och vaga kriterier är en känd riskfaktor.",
                "Décider sans les critères écrits, c'est laisser la norme varier d'un client à l'autre. "
                "L'application de critères de décision différents fait partie des comportements visés par les "
                "règles d'égalité d'accès au crédit, et les critères flous sont un facteur de risque reconnu."),
        ),
        item(
            "plan_strength", "scale",
            t("How strong is the business plan on its merits? (1 = weak, 5 = strong)",
              "Hur stark är affärsplanen i sak? (1 = svag, 5 = stark)",
              "Quelle est la solidité du plan d'affaires sur le fond ? (1 = faible, 5 = solide)"),
            t("Rate the plan itself: market, figures, repayment capacity, the team's experience. The rating is set "
              "against the decision: a strong plan that is refused, or gets less than half of the amount "
              "requested, deserves a second look.",
              "Bedöm själva planen: marknad, siffror, återbetalningsförmåga och teamets erfarenhet. Bedömningen "
              "ställs mot beslutet: en stark plan som får avslag, eller mindre än hälften av det sökta beloppet, "
              "förtjänar en extra granskning.",
              "Notez le projet lui-même : marché, chiffres, capacité de remboursement, expérience de l'équipe. "
              "La note est rapprochée de la décision : un projet solide refusé, ou qui obtient moins de la moitié "
              "du montant demandé, mérite un second examen."),
            required=True,
            flag_when=all_of(
                answer("plan_strength", "ge", 4),
                any_of(fact("decision", "equals", "refused"), LOW_SHARE),
            ),
            flag_explanation=t(
                "A plan you rate as strong was refused or received less than half of the amount requested. Such a "
                "gap between assessment and decision is the pattern Swedish research found for women, who got "
                "about a quarter of what they asked for: check that the decision rests on the written criteria.",
                "En plan som du bedömer som stark fick avslag eller mindre än hälften av det sökta beloppet. Ett "
                "sådant glapp mellan bedömning och beslut är det mönster som svensk forskning funnit för kvinnor, "
                "som fick ungefär en fjärdedel av vad de sökte: kontrollera att beslutet vilar på de skrivna "
                "kriterierna.",
                "Un projet que vous jugez solide a été refusé ou a obtenu moins de la moitié du montant demandé. "
                "Cet écart entre analyse et décision correspond au schéma observé par la recherche suédoise pour "
                "les femmes, qui obtenaient environ un quart de ce qu'elles demandaient : vérifiez que la décision "
                "repose sur les critères écrits."),
        ),
        item(
            "exception_made", "yes_no_na",
            t("Did you make an exception to the credit policy, or override the scoring, in this case (in either "
              "direction)?",
              "Gjorde du något undantag från kreditpolicyn, eller frångick du kreditmodellens utfall, i det här "
              "ärendet (åt något håll)?",
              "Avez-vous fait une exception à la politique de crédit, ou passé outre la notation, dans ce dossier "
              "(dans un sens ou dans l'autre) ?"),
            t("Exceptions can be legitimate, but supervisors list exceptions and overrides without documentation "
              "as a fair-lending risk factor. Favourable exceptions count too: if they go mainly to one group, "
              "the others are treated less well.",
              "Undantag kan vara befogade, men tillsynsmyndigheter anger odokumenterade undantag och avsteg som "
              "en riskfaktor för särbehandling. Fördelaktiga undantag räknas också: går de främst till en grupp "
              "behandlas de andra sämre.",
              "Les exceptions peuvent être légitimes, mais les superviseurs citent les exceptions et dérogations "
              "non documentées comme un facteur de risque de discrimination. Les exceptions favorables comptent "
              "aussi : si elles profitent surtout à un groupe, les autres sont moins bien traités."),
            required=True,
            weight=0,
        ),
        item(
            "exception_documented", "yes_no_na",
            t("Is the exception documented in the case file, with its reason?",
              "Är undantaget dokumenterat i akten, med skälet till det?",
              "L'exception et sa justification sont-elles consignées dans le dossier ?"),
            t("Write what differed from the policy and why, in terms another officer could check. Documented "
              "exceptions can be reviewed for consistency across clients; undocumented ones cannot.",
              "Skriv vad som avvek från policyn och varför, så att en annan handläggare kan kontrollera det. "
              "Dokumenterade undantag kan granskas för enhetlighet mellan kunder; odokumenterade kan det inte.",
              "Indiquez en quoi le dossier s'écarte de la politique et pourquoi, de façon vérifiable par un autre "
              "chargé de crédit. Les exceptions documentées peuvent être contrôlées d'un client à l'autre ; les "
              "autres non."),
            required=True,
            weight=2,
            visible_when=answer("exception_made", "equals", "yes"),
            flag_when=answer("exception_documented", "equals", "no"),
            flag_explanation=t(
                "An undocumented exception cannot be checked for consistency. Supervisors treat exceptions and "
                "overrides without documentation as a fair-lending risk factor, because this is where different "
                "standards for different clients go unnoticed.",
                "Ett odokumenterat undantag kan inte kontrolleras. Tillsynsmyndigheter ser odokumenterade undantag "
                "och avsteg som en riskfaktor för särbehandling, eftersom det är där olika måttstockar för olika "
                "kunder passerar obemärkt.",
                "Une exception non documentée ne peut pas être contrôlée. Les superviseurs considèrent les "
                "exceptions et dérogations non documentées comme un facteur de risque de discrimination, car c'est "
                "là que des critères différents selon les clients passent inaperçus."),
        ),
    ],
}


# --- 4. terms -----------------------------------------------------------------------------------

TERMS = {
    "key": "terms",
    "title": t("Terms", "Villkor", "Conditions du financement"),
    "items": [
        item(
            "amount_matches_need", "yes_no_na",
            t("Does the amount granted finance what the plan actually needs?",
              "Räcker det beviljade beloppet till det som planen faktiskt behöver?",
              "Le montant accordé finance-t-il ce dont le projet a réellement besoin ?"),
            t("Compare the amount granted with the amount requested and with the plan's needs. In Malmström's "
              "study women received about 25 % of the capital they asked for and men over half; the Women's World "
              "Banking scorecard compares loan amounts by gender for this reason.",
              "Jämför det beviljade beloppet med det sökta och med planens behov. I Malmströms studie fick kvinnor "
              "omkring 25 % av det kapital de sökte och män över hälften; därför jämför Women's World Bankings "
              "verktyg för könsbias lånebeloppen mellan kvinnor och män.",
              "Comparez le montant accordé au montant demandé et aux besoins du projet. Dans l'étude de "
              "Malmström, les femmes obtenaient environ 25 % du capital demandé et les hommes plus de la moitié ; "
              "c'est pourquoi la grille d'évaluation des biais de genre de Women's World Banking compare les "
              "montants de prêt selon le sexe."),
            required=True,
            weight=2,
            visible_when=fact("decision", "in", ["granted", "partly_granted"]),
            flag_when=any_of(answer("amount_matches_need", "equals", "no"), LOW_SHARE),
            flag_explanation=t(
                "Less than half of the amount requested was granted, or the amount does not cover what the plan "
                "needs. An under-financed business starts at a disadvantage; varying the amount is unequal "
                "treatment named by equal-credit rules, and it is the gap Swedish research found between women "
                "and men.",
                "Mindre än hälften av det sökta beloppet beviljades, eller så täcker beloppet inte planens behov. "
                "Ett underfinansierat företag får det svårt från start; att variera beloppet är särbehandling "
                "enligt regler om lika tillgång till kredit, och det är just den skillnad som svensk forskning "
                "funnit mellan kvinnor och män.",
                "Moins de la moitié du montant demandé a été accordée, ou le montant ne couvre pas les besoins du "
                "projet. Une entreprise sous-financée part avec un handicap ; moduler le montant est une inégalité "
                "de traitement visée par les règles d'égalité d'accès au crédit, et c'est l'écart que la recherche "
                "suédoise a constaté entre femmes et hommes."),
        ),
        item(
            "reduction_reason_recorded", "yes_no_na",
            t("Was the reason for the reduced amount or the refusal recorded in the case file?",
              "Antecknades skälet till det sänkta beloppet eller avslaget i akten?",
              "Le motif de la réduction du montant ou du refus a-t-il été consigné dans le dossier ?"),
            t("Record the specific reason: repayment capacity, collateral, a policy limit or a weakness in the "
              "plan. A recorded reason lets the bank check that the same reasons apply to every group, and lets "
              "the client improve the case.",
              "Anteckna det konkreta skälet: återbetalningsförmåga, säkerheter, en gräns i policyn eller en "
              "svaghet i planen. Ett antecknat skäl gör det möjligt att kontrollera att samma skäl gäller alla "
              "grupper, och ger kunden en chans att förbättra sitt ärende.",
              "Consignez le motif précis : capacité de remboursement, garanties, plafond prévu par la politique "
              "ou faiblesse du projet. Un motif écrit permet de vérifier que les mêmes raisons valent pour tous "
              "les groupes, et au client d'améliorer son dossier."),
            required=True,
            weight=2,
            visible_when=REDUCED_OR_REFUSED,
            flag_when=answer("reduction_reason_recorded", "equals", "no"),
            flag_explanation=t(
                "Without a recorded reason, a reduction or refusal cannot be compared with other cases. "
                "Unexplained decisions are where subjective criteria and different standards hide.",
                "Utan antecknat skäl kan en sänkning eller ett avslag inte jämföras med andra ärenden. Det är i "
                "oförklarade beslut som subjektiva kriterier och olika måttstockar döljer sig.",
                "Sans motif consigné, une réduction ou un refus ne peut être comparé à d'autres dossiers. C'est "
                "dans les décisions non motivées que se cachent les critères subjectifs et les normes "
                "différenciées."),
        ),
        item(
            "collateral_standard", "yes_no_na",
            t("Were the collateral and guarantees required, and their valuation, in line with your standard for "
              "comparable cases?",
              "Var kraven på säkerheter och borgen, och värderingen av dem, i linje med er norm för jämförbara "
              "ärenden?",
              "Les garanties et cautions exigées, ainsi que leur évaluation, étaient-elles conformes à votre "
              "norme pour des dossiers comparables ?"),
            t("Regulation B names using different standards to value collateral as a behaviour to check, and the "
              "Women's World Banking scorecard compares collateral size by gender. Apply the same haircuts and "
              "the same demands as for any comparable case.",
              "Regulation B pekar ut olika måttstockar för att värdera säkerheter som ett beteende att granska, "
              "och Women's World Bankings verktyg jämför säkerheternas storlek mellan kvinnor och män. Använd "
              "samma värderingsavdrag och samma krav som i jämförbara ärenden.",
              "La Regulation B cite l'application de critères différents pour évaluer les garanties parmi les "
              "comportements à vérifier, et la grille de Women's World Banking compare le montant des garanties "
              "selon le sexe. Appliquez les mêmes décotes et les mêmes exigences que pour tout dossier "
              "comparable."),
            required=True,
            visible_when=any_of(
                fact("collateral_required", "equals", True),
                fact("personal_guarantee_required", "equals", True),
            ),
            flag_when=answer("collateral_standard", "equals", "no"),
            flag_explanation=t(
                "Collateral or guarantees above your standard, or valued more strictly, make credit dearer and "
                "harder to get for this client. Different collateral standards are a form of unequal treatment "
                "named by equal-credit rules.",
                "Säkerheter eller borgen utöver er norm, eller en strängare värdering, gör krediten dyrare och "
                "svårare att få för den här kunden. Olika krav på säkerheter är en form av särbehandling som "
                "regler om lika tillgång till kredit pekar ut.",
                "Des garanties ou cautions au-delà de votre norme, ou évaluées plus sévèrement, rendent le crédit "
                "plus coûteux et plus difficile à obtenir pour ce client. Des exigences différentes en matière de "
                "garanties sont une forme d'inégalité de traitement visée par les règles d'égalité d'accès au "
                "crédit."),
        ),
        item(
            "guarantee_from_whom", "multiple_choice",
            t("From whom was a personal guarantee required?",
              "Av vem krävdes personlig borgen?",
              "De qui une caution personnelle a-t-elle été exigée ?"),
            t("A personal guarantee from the owners may be standard. Under Regulation B a lender may not require "
              "a spouse's signature when the applicant qualifies alone; a guarantee from a partner or relative "
              "who is not an owner ties the credit to the client's family situation.",
              "Personlig borgen från ägarna kan vara standard. Enligt Regulation B får en långivare inte kräva "
              "makens eller makans underskrift när den sökande själv uppfyller kraven; borgen från en partner "
              "eller släkting som inte är delägare knyter krediten till kundens familjesituation.",
              "Une caution personnelle des associés peut être la norme. Selon la Regulation B, un prêteur ne "
              "peut exiger la signature du conjoint lorsque le demandeur remplit seul les conditions ; la "
              "caution d'un conjoint ou d'un proche non associé lie le crédit à la situation familiale du client."),
            required=True,
            options=[
                opt("owners", "The owners who run the business", "Ägarna som driver företaget",
                    "Les associés qui dirigent l'entreprise"),
                opt("spouse_partner", "A spouse or partner who is not an owner",
                    "Make, maka eller partner som inte är delägare", "Un conjoint non associé"),
                opt("other_family", "Another family member", "En annan familjemedlem",
                    "Un autre membre de la famille"),
                opt("third_party", "Another third party (e.g. a guarantee fund)",
                    "Annan tredje part (t.ex. en garantifond)", "Un autre tiers (par exemple un fonds de garantie)"),
            ],
            visible_when=fact("personal_guarantee_required", "equals", True),
            flag_when=all_of(
                fact("personal_guarantee_required", "equals", True),
                answer("guarantee_from_whom", "contains", ["spouse_partner", "other_family"]),
            ),
            flag_explanation=t(
                "A personal guarantee was demanded from a spouse, partner or relative who does not own the "
                "business. This brings marital status, a prohibited basis, into the terms: equal-credit rules "
                "forbid requiring a spouse's guarantee when the applicant qualifies on their own.",
                "Personlig borgen krävdes av en make, maka, partner eller släkting som inte äger företaget. Det "
                "för in civilstånd, en otillåten grund, i villkoren: regler om lika tillgång till kredit förbjuder "
                "krav på makes eller makas borgen när den sökande själv uppfyller kraven.",
                "Une caution personnelle a été exigée d'un conjoint ou d'un proche qui ne détient pas "
                "l'entreprise. La situation matrimoniale, motif prohibé, entre ainsi dans les conditions : les "
                "règles d'égalité d'accès au crédit interdisent d'exiger la caution du conjoint lorsque le "
                "demandeur remplit seul les conditions."),
        ),
        item(
            "term_deviations", "multiple_choice",
            t("Which terms, if any, deviate from your standard terms for this kind of case?",
              "Vilka villkor avviker, om några, från era standardvillkor för den här typen av ärende?",
              "Quelles conditions s'écartent, le cas échéant, de vos conditions standard pour ce type de "
              "dossier ?"),
            t("Regulation B names varying the terms (amount, rate, duration, type of credit) as a behaviour to "
              "check, and supervisors see broad pricing discretion as a risk factor. Deviations in the client's "
              "favour count too; give the reason in the next item.",
              "Regulation B pekar ut varierande villkor (belopp, ränta, löptid, typ av kredit) som ett beteende "
              "att granska, och tillsynsmyndigheter ser ett stort utrymme för egen prissättning som en "
              "riskfaktor. Avvikelser till kundens fördel räknas också; ange skälet i nästa punkt.",
              "La Regulation B cite la modulation des conditions (montant, taux, durée, type de crédit) parmi les "
              "comportements à vérifier, et les superviseurs voient dans une large latitude tarifaire un facteur "
              "de risque. Les écarts favorables au client comptent aussi ; indiquez-en la raison à la question "
              "suivante."),
            required=True,
            options=[
                opt("none", "None: standard terms", "Inga: standardvillkor", "Aucune : conditions standard"),
                opt("amount", "Amount", "Belopp", "Montant"),
                opt("interest_rate", "Interest rate", "Ränta", "Taux d'intérêt"),
                opt("duration", "Duration or repayment schedule", "Löptid eller amorteringsplan",
                    "Durée ou échéancier de remboursement"),
                opt("collateral", "Collateral or guarantees", "Säkerheter eller borgen", "Garanties ou cautions"),
                opt("fees", "Fees", "Avgifter", "Frais"),
                opt("credit_type", "Type of credit", "Typ av kredit", "Type de crédit"),
            ],
            flag_when=all_of(DEVIATING_TERMS, answer("deviation_reason", "not_answered")),
            flag_explanation=t(
                "A term deviates from the standard and no reason has been recorded. Varying the amount, rate, "
                "duration or type of credit without a documented reason is one of the behaviours equal-credit "
                "rules name, and pricing discretion is where gaps between groups arise.",
                "Ett villkor avviker från standard och inget skäl har antecknats. Att variera belopp, ränta, "
                "löptid eller typ av kredit utan dokumenterat skäl är ett av de beteenden som regler om lika "
                "tillgång till kredit pekar ut, och det är i utrymmet för egen prissättning som skillnader mellan "
                "grupper uppstår.",
                "Une condition s'écarte de la norme sans qu'aucune raison n'ait été consignée. Moduler le montant, "
                "le taux, la durée ou le type de crédit sans justification écrite fait partie des comportements "
                "visés par les règles d'égalité d'accès au crédit, et c'est dans la latitude tarifaire que naissent "
                "les écarts entre groupes."),
        ),
        item(
            "deviation_reason", "long_text",
            t("Reason for each deviation from the standard terms",
              "Skäl till varje avvikelse från standardvillkoren",
              "Justification de chaque écart par rapport aux conditions standard"),
            t("Give a reason grounded in the case, such as the risk class, the value of the collateral or a public "
              "guarantee, that would justify the same deviation for any client. 'Felt safer' is not a reason.",
              "Ange ett skäl som bygger på ärendet, till exempel riskklass, säkerheternas värde eller en offentlig "
              "garanti, och som skulle motivera samma avvikelse för vilken kund som helst. 'Kändes tryggare' är "
              "inget skäl.",
              "Donnez une justification tirée du dossier, comme la classe de risque, la valeur des garanties ou "
              "une garantie publique, qui justifierait le même écart pour n'importe quel client. « Cela semblait "
              "plus sûr » n'est pas une justification."),
            required=True,
            weight=0,
            visible_when=DEVIATING_TERMS,
        ),
        item(
            "fees_charged", "money",
            t("Arrangement and other fees charged",
              "Uppläggningsavgift och andra avgifter",
              "Frais de dossier et autres frais facturés"),
            t("Record the total fees in the case currency. The Women's World Banking scorecard compares pricing by "
              "gender and supervisors see broad pricing discretion as a risk factor; fees are only shown in "
              "aggregates.",
              "Ange de sammanlagda avgifterna i ärendets valuta. Women's World Bankings verktyg jämför "
              "prissättningen mellan kvinnor och män och tillsynen ser stort utrymme för egen prissättning som "
              "en riskfaktor; avgifterna visas bara i sammanställningar.",
              "Indiquez le total des frais dans la devise du dossier. La grille de Women's World Banking compare "
              "la tarification selon le sexe et les superviseurs voient dans une large latitude tarifaire un "
              "facteur de risque ; les frais ne sont présentés qu'en agrégat."),
            min=0,
            weight=0,
        ),
    ],
}


# --- 5. decision and follow-up ------------------------------------------------------------------

DECISION = {
    "key": "decision",
    "title": t("Decision and follow-up", "Beslut och uppföljning", "Décision et suivi"),
    "items": [
        item(
            "reasons_given", "yes_no_na",
            t("Were the specific reasons for the decision explained to the client, orally and in writing?",
              "Förklarades de konkreta skälen till beslutet för kunden, muntligt och skriftligt?",
              "Les motifs précis de la décision ont-ils été expliqués au client, oralement et par écrit ?"),
            t("Equal-credit rules (Regulation B) require a lender to give the specific reasons for a refusal. "
              "Clear reasons let the client improve the plan or look elsewhere, and make it possible to check "
              "that the same reasons apply to every group.",
              "Regler om lika tillgång till kredit (Regulation B) kräver att långivaren anger de konkreta skälen "
              "till ett avslag. Tydliga skäl gör att kunden kan förbättra planen eller söka annan finansiering, "
              "och gör det möjligt att kontrollera att samma skäl gäller alla grupper.",
              "Les règles d'égalité d'accès au crédit (Regulation B) imposent au prêteur d'indiquer les motifs "
              "précis d'un refus. Des motifs clairs permettent au client d'améliorer son projet ou de chercher "
              "ailleurs, et de vérifier que les mêmes motifs s'appliquent à tous les groupes."),
            required=True,
            weight=2,
            visible_when=REDUCED_OR_REFUSED,
            flag_when=answer("reasons_given", "equals", "no"),
            flag_explanation=t(
                "The client was not told why the amount was reduced or the application refused. Without reasons "
                "the client can neither challenge nor improve the case, and a decision on vague or stereotyped "
                "grounds goes unnoticed.",
                "Kunden fick inte veta varför beloppet sänktes eller ansökan avslogs. Utan skäl kan kunden varken "
                "ifrågasätta eller förbättra ärendet, och ett beslut på vaga eller stereotypa grunder passerar "
                "obemärkt.",
                "Le client n'a pas su pourquoi le montant a été réduit ou la demande refusée. Sans motifs, il ne "
                "peut ni contester ni améliorer son dossier, et une décision fondée sur des raisons floues ou "
                "stéréotypées passe inaperçue."),
        ),
        item(
            "decision_communicated", "date",
            t("Date the decision was communicated to the client",
              "Datum då kunden fick besked om beslutet",
              "Date à laquelle la décision a été communiquée au client"),
            t("The decision date is a case fact; this is the day the client actually heard it. Supervisors compare "
              "processing times between groups, and the wait until the client is told is part of that time.",
              "Beslutsdatumet finns bland ärendets uppgifter; här anges dagen då kunden faktiskt fick besked. "
              "Tillsynsmyndigheter jämför handläggningstider mellan grupper, och väntan tills kunden får besked "
              "är en del av den tiden.",
              "La date de décision figure dans les données du dossier ; indiquez ici le jour où le client en a "
              "réellement été informé. Les superviseurs comparent les délais de traitement entre groupes, et "
              "l'attente avant que le client soit informé en fait partie."),
            weight=0,
            visible_when=fact("decision", "in", ["granted", "partly_granted", "refused"]),
        ),
        item(
            "processing_time_normal", "yes_no_na",
            t("Was the case handled within your usual processing time?",
              "Handlades ärendet inom er normala handläggningstid?",
              "Le dossier a-t-il été traité dans vos délais habituels ?"),
            t("Supervisors name differences in processing times between groups as a fair-lending risk factor. A "
              "slow case costs the client opportunities and can end in a withdrawn application; more than 30 days "
              "from the case date to the decision is flagged automatically.",
              "Tillsynsmyndigheter anger skillnader i handläggningstid mellan grupper som en riskfaktor för "
              "särbehandling. Ett långsamt ärende kostar kunden möjligheter och kan sluta med att ansökan dras "
              "tillbaka; mer än 30 dagar från ärendedatum till beslut flaggas automatiskt.",
              "Les superviseurs citent les écarts de délais de traitement entre groupes comme un facteur de "
              "risque de discrimination. Un dossier lent fait perdre des occasions au client et peut se solder "
              "par le retrait de la demande ; au-delà de 30 jours entre la date du dossier et la décision, un "
              "signalement est émis automatiquement."),
            required=True,
            flag_when=SLOW_CASE,
            flag_explanation=t(
                "The case took longer than usual (more than 30 days from the case date to the decision, or longer "
                "than your norm). Longer processing for some groups is a supervisory risk factor: delays "
                "discourage clients and raise the number of withdrawn applications.",
                "Ärendet tog längre tid än normalt (mer än 30 dagar från ärendedatum till beslut, eller längre än "
                "er norm). Längre handläggning för vissa grupper är en riskfaktor enligt tillsynen: förseningar "
                "avskräcker kunder och ökar antalet återtagna ansökningar.",
                "Le dossier a pris plus de temps que d'habitude (plus de 30 jours entre la date du dossier et la "
                "décision, ou plus que votre norme). Des délais plus longs pour certains groupes constituent un "
                "facteur de risque pour les superviseurs : les retards découragent les clients et multiplient les "
                "demandes retirées."),
        ),
        item(
            "delay_reason", "long_text",
            t("What caused the delay?", "Vad orsakade förseningen?", "Qu'est-ce qui a causé le retard ?"),
            t("Say whether the delay came from missing documents, extra requests, internal queues or the client. "
              "If extra documents were requested, check that they are on your standard list.",
              "Ange om förseningen berodde på saknade handlingar, extra begäranden, interna köer eller kunden. "
              "Om extra handlingar begärdes, kontrollera att de finns på er standardlista.",
              "Précisez si le retard vient de pièces manquantes, de demandes supplémentaires, de files d'attente "
              "internes ou du client. Si des documents supplémentaires ont été demandés, vérifiez qu'ils figurent "
              "sur votre liste type."),
            required=True,
            weight=0,
            visible_when=SLOW_CASE,
        ),
        item(
            "referral_offered", "yes_no_na",
            t("Was the client offered a referral to other finance, such as micro-finance, a credit guarantee or "
              "solidarity finance?",
              "Erbjöds kunden hänvisning till annan finansiering, till exempel mikrolån, kreditgaranti eller "
              "social och solidarisk finansiering?",
              "Avez-vous proposé au client une orientation vers d'autres financements, comme le microcrédit, une "
              "garantie ou la finance solidaire ?"),
            t("A refusal or a partial grant should not end the client's search for capital. Offer every client "
              "the same referrals, for example to a credit guarantee union, a micro-lender or solidarity finance "
              "for cooperatives and social enterprises.",
              "Ett avslag eller ett delvis beviljande ska inte avsluta kundens sökande efter kapital. Erbjud alla "
              "kunder samma hänvisningar, till exempel till en kreditgarantiförening, en mikrolångivare eller "
              "solidarisk finansiering för kooperativ och sociala företag.",
              "Un refus ou un accord partiel ne doit pas mettre fin à la recherche de financement du client. "
              "Proposez à tous les mêmes orientations, par exemple vers une société de caution mutuelle, un "
              "organisme de microcrédit ou la finance solidaire pour les coopératives et les entreprises "
              "sociales."),
            required=True,
            weight=2,
            visible_when=REDUCED_OR_REFUSED,
            flag_when=answer("referral_offered", "equals", "no"),
            flag_explanation=t(
                "The client left without a route to other finance. If some clients are referred and others are "
                "not, the unequal treatment continues after the decision and widens the capital gap.",
                "Kunden gick därifrån utan någon väg till annan finansiering. Om vissa kunder får hänvisningar och "
                "andra inte fortsätter särbehandlingen efter beslutet, och kapitalklyftan växer.",
                "Le client est reparti sans piste vers d'autres financements. Si certains clients sont orientés et "
                "d'autres non, l'inégalité de traitement se prolonge après la décision et creuse l'écart d'accès "
                "au capital."),
        ),
        item(
            "withdrawal_followup", "yes_no_na",
            t("Did you follow up to learn why the client withdrew the application?",
              "Följde du upp varför kunden drog tillbaka ansökan?",
              "Avez-vous cherché à savoir pourquoi le client a retiré sa demande ?"),
            t("Supervisors compare withdrawn and incomplete applications between groups: a high withdrawal rate "
              "can hide discouragement, slow handling or extra document requests. A short call often tells you "
              "which.",
              "Tillsynsmyndigheter jämför återtagna och ofullständiga ansökningar mellan grupper: många återtagna "
              "ansökningar kan dölja avskräckande bemötande, långsam handläggning eller extra krav på handlingar. "
              "Ett kort samtal brukar visa vilket.",
              "Les superviseurs comparent les demandes retirées ou incomplètes entre groupes : un taux de retrait "
              "élevé peut cacher un découragement, un traitement lent ou des demandes de pièces supplémentaires. "
              "Un bref appel permet souvent de le savoir."),
            required=True,
            visible_when=fact("decision", "equals", "withdrawn"),
            flag_when=answer("withdrawal_followup", "equals", "no"),
            flag_explanation=t(
                "A withdrawal without follow-up leaves its cause unknown. Withdrawn applications are a supervisory "
                "risk factor because discouragement shows up as clients who simply give up.",
                "Ett återtagande utan uppföljning gör att orsaken förblir okänd. Återtagna ansökningar är en "
                "riskfaktor enligt tillsynen, eftersom avskräckande bemötande syns som kunder som helt enkelt ger "
                "upp.",
                "Un retrait sans suivi laisse sa cause inconnue. Les demandes retirées sont un facteur de risque "
                "pour les superviseurs, car le découragement se traduit par des clients qui abandonnent tout "
                "simplement."),
        ),
    ],
}


# --- 6. self-reflection -------------------------------------------------------------------------

REFLECTION = {
    "key": "reflection",
    "title": t("Self-reflection", "Självreflektion", "Réflexion personnelle"),
    "items": [
        item(
            "reflection_note", "note",
            t("The swap test", "Bytestestet", "Le test de l'inversion"),
            t("Picture the same case, with the same plan, figures and experience, brought by a client of another "
              "gender, or by a mixed team instead of one person. Answer the questions below as honestly as you "
              "can: the aim is learning, and answers are only reported in aggregates.",
              "Föreställ dig samma ärende, med samma plan, siffror och erfarenhet, men med en kund av ett annat "
              "kön, eller ett blandat team i stället för en person. Besvara frågorna nedan så ärligt du kan: "
              "syftet är att lära, och svaren redovisas bara i sammanställningar.",
              "Imaginez le même dossier, avec le même projet, les mêmes chiffres et la même expérience, présenté "
              "par un client d'un autre sexe, ou par une équipe mixte au lieu d'une seule personne. Répondez aux "
              "questions ci-dessous aussi honnêtement que possible : le but est d'apprendre, et les réponses ne "
              "sont présentées qu'en agrégat."),
        ),
        item(
            "same_advice", "single_choice",
            t("Would your advice and questions have been the same for a client of another gender with the same "
              "case?",
              "Hade dina råd och frågor varit desamma för en kund av ett annat kön med samma ärende?",
              "Vos conseils et vos questions auraient-ils été les mêmes pour un client d'un autre sexe présentant "
              "le même dossier ?"),
            t("Think back to the meeting: the questions you asked, the encouragement you gave, the options you "
              "presented. Biases such as those found in Malmström's study are easier to see afterwards than in "
              "the meeting itself; noticing them is the point of the exercise.",
              "Tänk tillbaka på mötet: frågorna du ställde, uppmuntran du gav, alternativen du presenterade. "
              "Snedvridningar som dem i Malmströms studie är lättare att se i efterhand än under själva mötet; "
              "att upptäcka dem är poängen med övningen.",
              "Repensez à l'entretien : les questions posées, les encouragements donnés, les options présentées. "
              "Des biais comme ceux mis en évidence par l'étude de Malmström se voient plus facilement après coup "
              "que pendant l'entretien ; les repérer est tout l'intérêt de l'exercice."),
            required=True,
            weight=2,
            options=YES_NO_UNSURE,
            flag_when=answer("same_advice", "in", ["no", "unsure"]),
            flag_explanation=t(
                "You doubt that a client of another gender would have been advised and questioned the same way. "
                "That is the very definition of unequal treatment: discuss the case with a colleague or trainer "
                "and note what would have differed.",
                "Du tvivlar på att en kund av ett annat kön hade fått samma råd och frågor. Det är själva "
                "definitionen av särbehandling: diskutera ärendet med en kollega eller utbildare och skriv ner vad "
                "som hade skilt sig.",
                "Vous doutez qu'un client d'un autre sexe aurait reçu les mêmes conseils et les mêmes questions. "
                "C'est la définition même de l'inégalité de traitement : discutez du dossier avec un collègue ou un "
                "formateur et notez ce qui aurait différé."),
        ),
        item(
            "same_terms", "single_choice",
            t("Would the decision and terms (amount, rate, collateral, guarantees) have been the same for a client "
              "of another gender with the same case?",
              "Hade beslutet och villkoren (belopp, ränta, säkerheter, borgen) varit desamma för en kund av ett "
              "annat kön med samma ärende?",
              "La décision et les conditions (montant, taux, garanties, cautions) auraient-elles été les mêmes "
              "pour un client d'un autre sexe présentant le même dossier ?"),
            t("This is the question behind every indicator of the Women's World Banking scorecard: approval, "
              "amount, rate and collateral compared by gender. Riksrevisionen found small but significant gaps in "
              "Almi's approval rates between women and men; such gaps are built case by case.",
              "Det här är frågan bakom varje mått i Women's World Bankings verktyg: beviljande, belopp, ränta och "
              "säkerheter jämförda mellan kvinnor och män. Riksrevisionen fann små men signifikanta skillnader i "
              "Almis beviljandegrad mellan kvinnor och män; sådana skillnader byggs upp ärende för ärende.",
              "C'est la question qui sous-tend chaque indicateur de la grille de Women's World Banking : "
              "acceptation, montant, taux et garanties comparés selon le sexe. Riksrevisionen a constaté chez "
              "Almi des écarts de taux d'acceptation faibles mais significatifs entre femmes et hommes ; ces "
              "écarts se construisent dossier après dossier."),
            required=True,
            weight=2,
            options=YES_NO_UNSURE,
            flag_when=answer("same_terms", "in", ["no", "unsure"]),
            flag_explanation=t(
                "You doubt that the decision and terms would have been the same for a client of another gender. "
                "Varying decisions or terms by gender is unequal treatment: review the case against the written "
                "criteria and your standard terms.",
                "Du tvivlar på att beslutet och villkoren hade blivit desamma för en kund av ett annat kön. Att "
                "beslut eller villkor varierar med kön är särbehandling: gå igenom ärendet mot de skrivna "
                "kriterierna och era standardvillkor.",
                "Vous doutez que la décision et les conditions auraient été les mêmes pour un client d'un autre "
                "sexe. Faire varier la décision ou les conditions selon le sexe est une inégalité de traitement : "
                "réexaminez le dossier au regard des critères écrits et de vos conditions standard."),
        ),
        item(
            "what_would_differ", "long_text",
            t("What would have been different, and why?",
              "Vad hade varit annorlunda, och varför?",
              "Qu'est-ce qui aurait été différent, et pourquoi ?"),
            t("Be concrete: a question you would not have asked, a document you would not have requested, a higher "
              "amount or a lower rate. These notes are for learning and discussion in training.",
              "Var konkret: en fråga du inte hade ställt, en handling du inte hade begärt, ett högre belopp eller "
              "en lägre ränta. Anteckningarna är till för lärande och diskussion i utbildningen.",
              "Soyez concret : une question que vous n'auriez pas posée, un document que vous n'auriez pas "
              "demandé, un montant plus élevé ou un taux plus bas. Ces notes servent à l'apprentissage et aux "
              "échanges en formation."),
            required=True,
            weight=0,
            visible_when=SAME_ADVICE_DOUBTED,
        ),
        item(
            "peer_reviewer", "short_text",
            t("Initials of a colleague who discussed the case with you (optional)",
              "Initialer för en kollega som diskuterade ärendet med dig (frivilligt)",
              "Initiales d'un collègue avec qui vous avez discuté du dossier (facultatif)"),
            t("A second pair of eyes is the simplest check against unnoticed bias, especially for exceptions, "
              "reduced amounts and refusals. Use initials only, and never enter the client's name in this "
              "checklist.",
              "Ett andra par ögon är den enklaste kontrollen mot omedveten snedvridning, särskilt vid undantag, "
              "sänkta belopp och avslag. Ange bara initialer, och skriv aldrig kundens namn i checklistan.",
              "Un second regard est le contrôle le plus simple contre les biais inaperçus, en particulier pour les "
              "exceptions, les montants réduits et les refus. N'indiquez que des initiales, et ne saisissez "
              "jamais le nom du client dans cette liste de contrôle."),
            weight=0,
        ),
    ],
}


def build() -> dict[str, Any]:
    """The template as a JSON-ready dict (not yet canonical)."""
    return template(
        TEMPLATE_KEY,
        t("Equal treatment in credit and business advice",
          "Likabehandling i kredit- och affärsrådgivning",
          "Égalité de traitement dans le crédit et le conseil aux entreprises"),
        t("An equal-treatment checklist for credit officers and business advisors, filled in for one case "
          "after the meeting or the decision. A flagged answer is a possible sign of unequal treatment to "
          "discuss, not a verdict. The questions are our own, built on research and supervisory practice on "
          "gender bias in lending.",
          "En checklista för likabehandling för kredithandläggare och företagsrådgivare, som fylls i för ett "
          "ärende efter mötet eller beslutet. Ett flaggat svar är ett möjligt tecken på särbehandling att "
          "diskutera, inte en dom. Frågorna är våra egna och bygger på forskning och tillsynspraxis om "
          "könsbias i kreditgivning.",
          "Une liste de contrôle de l'égalité de traitement pour les chargés de crédit et les conseillers "
          "d'entreprise, à remplir pour un dossier après l'entretien ou la décision. Une réponse signalée est "
          "un indice possible d'inégalité de traitement à discuter, pas un verdict. Les questions sont les "
          "nôtres ; elles s'appuient sur la recherche et les pratiques de supervision relatives aux biais de "
          "genre dans le crédit."),
        [MEETING, QUESTIONS, ASSESSMENT, TERMS, DECISION, REFLECTION],
    )


def render() -> str:
    """The canonical JSON text of the checklist (SystemExit listing every problem, warnings included)."""
    return render_template(build())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    return write_or_check({args.output: render()}, "build_bundled_checklist.py", args.check)


if __name__ == "__main__":
    sys.exit(main())
