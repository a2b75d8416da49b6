// Hebrew text of the e-mails. Only the server renders e-mails, so these messages live apart
// from the page catalog (he.ts) and never reach a browser. Every key here must exist in
// mail.en.ts too (TypeScript and a test check).
export const mailHe = {
  "mail.invite.subject": "{inviter} הזמין/ה אתכם להצטרף ל{org} ב-Broadly",
  "mail.invite.intro":
    "{inviter} הזמין/ה אתכם להצטרף ל{org} ב-Broadly, לוח בקשות הפיצ'רים, בתפקיד {role}.",
  "mail.invite.action": "לקבלת ההזמנה",
  "mail.invite.expiry": "הקישור אישי ותקף עד {date}.",
  "mail.invite.ignore": "לא ציפיתם להזמנה? אפשר להתעלם מהמייל הזה.",
  "mail.reset.subject": "בחירת סיסמה חדשה ל-Broadly",
  "mail.reset.intro":
    "שלום {name}, ביקשתם (כך אנחנו מקווים) לאפס את הסיסמה של החשבון שלכם ב-Broadly.",
  "mail.reset.action": "בחירת סיסמה חדשה",
  "mail.reset.expiry": "הקישור עובד פעם אחת, במשך שעה.",
  "mail.reset.ignore": "לא ביקשתם? אפשר להתעלם מהמייל הזה: הסיסמה שלכם נשארת כמו שהיא.",
  "mail.verify.subject": "אישור כתובת המייל שלכם ב-Broadly",
  "mail.verify.intro":
    "שלום {name}, ברוכים הבאים ל-Broadly! אשרו שזו הכתובת שלכם, ותוכלו להצביע, להציע ולהגיב.",
  "mail.verify.action": "אישור הכתובת",
  "mail.verify.expiry": "הקישור עובד פעם אחת, במשך 48 שעות.",
  "mail.verify.ignore": "לא נרשמתם ל-Broadly? אפשר להתעלם מהמייל הזה.",
  "mail.source.email": "מייל",
  "mail.source.whatsapp": "הודעת וואטסאפ",
  "mail.source.call": "שיחת טלפון",
  "mail.source.meeting": "פגישה",
  "mail.request.action": "לצפייה בבקשה",
  "mail.request.followerNote":
    "קיבלתם את המייל הזה כי אתם עוקבים אחרי הבקשה. אפשר להפסיק לעקוב בדף שלה.",
  "mail.voteRecorded.subject": "רשמנו את ההצבעה שלכם ל„{title}”",
  "mail.voteRecorded.intro":
    "שלום {name}, בעקבות {source} עם הצוות שלנו, {staff} רשם/ה את ההצבעה שלכם ל„{title}” בשם {org}. נעדכן אתכם כשהבקשה תתקדם.",
  "mail.voteRecorded.withdraw": "לא התכוונתם להצביע? אפשר לבטל את ההצבעה כאן: {url}",
  "mail.proposedOnBehalf.subject": "פרסמנו את הבקשה שלכם „{title}”",
  "mail.proposedOnBehalf.intro":
    "שלום {name}, בעקבות {source} עם הצוות שלנו, {staff} פרסם/ה את הבקשה שלכם „{title}” בשם {org}, עם ההצבעה שלכם.",
  "mail.proposedOnBehalf.note":
    "אתם עוקבים אחריה עכשיו: נכתוב לכם כשתתקבל בה החלטה. אפשר לפתוח אותה כדי להוסיף פרטים או תגובות.",
  "mail.decided.broad.subject": "„{title}” בתוכנית העבודה",
  "mail.decided.broad":
    "שלום {name}, „{title}” שימושית לקהל רחב של לקוחות: אנחנו מפתחים אותה לכולם.",
  "mail.decided.broadQuarter":
    "שלום {name}, „{title}” שימושית לקהל רחב של לקוחות: אנחנו מפתחים אותה לכולם, ומכוונים ל{quarter}.",
  "mail.decided.sponsored.subject": "„{title}”: אפשר לממן את הפיתוח",
  "mail.decided.sponsored":
    "שלום {name}, „{title}” עונה על צורך מסוים ולא על קהל רחב, ולכן אנחנו מציעים אותה כפיתוח במימון: אפשר לממן, הצעת מחיר בדרך.",
  "mail.decided.declined.subject": "„{title}” לא תפותח",
  "mail.decided.declined": "שלום {name}, החלטנו לא לפתח את „{title}”. זו הסיבה:",
  "mail.decided.alreadyExists.subject": "„{title}” כבר אפשרית",
  "mail.decided.alreadyExists": "שלום {name}, את מה ש„{title}” מבקשת כבר אפשר לעשות היום. כך:",
  "mail.decided.helpLink": "למאמר העזרה",
  "mail.status.inProgress.subject": "התחלנו לפתח את „{title}”",
  "mail.status.inProgress": "שלום {name}, התחלנו לפתח את „{title}”.",
  "mail.status.funded.subject": "„{title}” מומנה",
  "mail.status.funded": "שלום {name}, הפיתוח של „{title}” מומן, תודה! הוא נכנס לתוכנית העבודה.",
  "mail.status.shipped.subject": "„{title}” זמינה עכשיו",
  "mail.status.shipped": "שלום {name}, „{title}” זמינה עכשיו לכל הארגונים.",
  "mail.merged.subject": "„{title}” מוזגה לתוך „{target}”",
  "mail.merged.intro":
    "שלום {name}, „{title}” מבקשת את אותו הדבר כמו „{target}”, ולכן מיזגנו אותן: ההצבעות, העוקבים והתגובות שלה נמצאים עכשיו ב„{target}”: אם הצבעתם לה, ההצבעה שלכם נספרת שם.",
  "mail.merged.action": "לצפייה ב„{target}”",
  "mail.merged.note": "קיבלתם את המייל הזה כי הצעתם את הבקשה שמוזגה, הצבעתם לה או עקבתם אחריה.",
  "mail.reopened.subject": "„{title}” חזרה לבדיקה",
  "mail.reopened.intro":
    "שלום {name}, פתחנו מחדש את ההחלטה על „{title}”: היא שוב בבדיקה. זו הסיבה:",
  "mail.quote.action": "לצפייה בבקשה",
  "mail.quote.note": "קיבלתם את ההודעה כי אתם פועלים בשם הארגון שלכם בנושא פיתוח בחסות.",
  "mail.quote.offered.subject": "הצעת מחיר עבור „{title}”",
  "mail.quote.offered":
    "שלום {name}, הכנו הצעת מחיר לפיתוח „{title}” עבור הארגון שלכם: {amount} כולל מע״מ. מנהל או מנהלת של הארגון יכולים לקרוא את התנאים ולאשר בדף הבקשה.",
  "mail.quote.revised.subject": "הצעת מחיר מעודכנת עבור „{title}”",
  "mail.quote.revised":
    "שלום {name}, הצעת המחיר עבור „{title}” עודכנה (גרסה {version}): {amount} כולל מע״מ. אי אפשר עוד לאשר את הגרסה הקודמת.",
  "mail.quote.lapsed.subject": "ההתחייבות שלכם עבור „{title}” פקעה",
  "mail.quote.lapsed":
    "שלום {name}, הצעת המחיר עבור „{title}” הסתיימה לפני שמומנה במלואה, ולכן ההתחייבות של הארגון שלכם פקעה: אין שום חוב.",
  "mail.quote.lapsed.superseded": "היא הוחלפה בהצעה מעודכנת, שאפשר להתחייב אליה מחדש.",
  "mail.quote.lapsed.withdrawn": "צוות המוצר משך אותה.",
  "mail.quote.lapsed.expired": "תוקפה פג בסוף היום האחרון שלה.",
  "mail.quote.accepted.subject": "{org} אישרו את הצעת המחיר עבור „{title}”",
  "mail.quote.accepted":
    "שלום {name}, {org} אישרו את גרסה {version} של הצעת המחיר עבור „{title}” ({amount} כולל מע״מ בסך הכול).",
  "mail.quote.declined.subject": "{org} דחו את הצעת המחיר עבור „{title}”",
  "mail.quote.declined": "שלום {name}, {org} דחו את גרסה {version} של הצעת המחיר עבור „{title}”.",
  "mail.quote.funded.subject": "„{title}” ממומנת",
  "mail.quote.funded":
    "שלום {name}, הצעת המחיר עבור „{title}” ממומנת במלואה ({amount} כולל מע״מ). צוות המוצר יתכנן את הפיתוח.",
  "mail.quote.wish.subject": "{org} רוצה את „{title}”",
  "mail.quote.wish":
    "שלום {name}, {org} מהארגון שלכם היה רוצה שהארגון יאשר את הצעת המחיר עבור „{title}” ({amount} כולל מע״מ). כמנהלים, אתם יכולים לקרוא את התנאים ולאשר בדף הבקשה.",
  // E-mail helper (issue 13): preferences' footers, grouped updates, official answers,
  // announcements, the weekly digest.
  "mail.footer.unsubscribe": "הסרה מרשימת התפוצה הזו",
  "mail.footer.preferences": "העדפות המייל שלכם",
  "mail.footer.news": "קיבלתם את המייל הזה כי ביקשתם לקבל חדשות על המוצר.",
  "mail.footer.announcementFollower":
    "קיבלתם את המייל הזה כי אתם עוקבים אחרי בקשה שההכרזה הזו עוסקת בה.",
  "mail.footer.digest": "קיבלתם את הסיכום השבועי כי ביקשתם לקבל אותו.",
  "mail.group.subject": "{count} עדכונים על בקשות שאתם עוקבים אחריהן",
  "mail.group.intro": "שלום {name}, הנה {count} העדכונים האחרונים על בקשות שאתם עוקבים אחריהן:",
  "mail.group.action": "ללוח הבקשות",
  "mail.group.followerNote":
    "קיבלתם את המייל הזה כי אתם עוקבים אחרי הבקשות האלה. אפשר להפסיק לעקוב בדף של כל בקשה.",
  "mail.answer.subject": "תשובה רשמית על „{title}”",
  "mail.answer.intro": "שלום {name}, {staff} מצוות המוצר ענה/תה רשמית על „{title}”:",
  "mail.announcement.subject": "חדש ב-Broadly: {title}",
  "mail.announcement.fallback": "ההכרזה הזו כתובה בעברית בלבד.",
  "mail.announcement.sponsored": "פותח בחסות {sponsors}. תודה!",
  "mail.announcement.action": "להכרזה המלאה",
  "mail.digest.subject": "הסיכום השבועי שלכם מ-Broadly",
  "mail.digest.intro": "שלום {name}, זה מה שהשתנה השבוע בבקשות שאתם עוקבים אחריהן:",
  "mail.digest.status": "המצב השתנה ל{status} ב-{date}.",
  "mail.digest.answer": "תשובה רשמית מצוות המוצר ב-{date}.",
  "mail.digest.announcement": "הכרזה: {title}",
  "mail.digest.action": "ללוח הבקשות",
} as const;
