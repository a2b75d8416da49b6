// English text of the e-mails (server only, like mail.he.ts). Typed against the Hebrew ones,
// so a missing or extra key fails the typecheck.
import type { mailHe } from "./mail.he";

export const mailEn: Record<keyof typeof mailHe, string> = {
  "mail.invite.subject": "{inviter} invited you to join {org} on Broadly",
  "mail.invite.intro":
    "{inviter} invited you to join {org} on Broadly, the feature request board, as {role}.",
  "mail.invite.action": "Accept the invitation",
  "mail.invite.expiry": "The link is personal and valid until {date}.",
  "mail.invite.ignore": "Not expecting this? You can ignore this e-mail.",
  "mail.reset.subject": "Choose a new password for Broadly",
  "mail.reset.intro":
    "Hello {name}, you asked (we hope it was you) to reset the password of your Broadly account.",
  "mail.reset.action": "Choose a new password",
  "mail.reset.expiry": "The link works once, for one hour.",
  "mail.reset.ignore":
    "Didn't ask for this? You can ignore this e-mail: your password stays as it is.",
  "mail.verify.subject": "Confirm your e-mail address for Broadly",
  "mail.verify.intro":
    "Hello {name}, welcome to Broadly! Confirm this is your address, and you can vote, propose and comment.",
  "mail.verify.action": "Confirm my address",
  "mail.verify.expiry": "The link works once, for 48 hours.",
  "mail.verify.ignore": "Didn't sign up for Broadly? You can ignore this e-mail.",
  "mail.source.email": "an e-mail",
  "mail.source.whatsapp": "a WhatsApp message",
  "mail.source.call": "a phone call",
  "mail.source.meeting": "a meeting",
  "mail.request.action": "Open the request",
  "mail.request.followerNote":
    "You receive this because you follow this request. You can unfollow it on its page.",
  "mail.voteRecorded.subject": "We recorded your vote for “{title}”",
  "mail.voteRecorded.intro":
    "Hello {name}, following {source} with our team, {staff} recorded your vote for “{title}” on behalf of {org}. You will hear from us when it moves forward.",
  "mail.voteRecorded.withdraw": "Didn't mean to vote for it? Withdraw the vote here: {url}",
  "mail.proposedOnBehalf.subject": "We posted your request “{title}”",
  "mail.proposedOnBehalf.intro":
    "Hello {name}, following {source} with our team, {staff} posted your request “{title}” on behalf of {org}, with your vote.",
  "mail.proposedOnBehalf.note":
    "You follow it now: we will write to you when it is decided. Open it to add details or comments.",
  "mail.decided.broad.subject": "“{title}” is planned",
  "mail.decided.broad":
    "Hello {name}, “{title}” is useful to a broad audience of customers: we are building it for everyone.",
  "mail.decided.broadQuarter":
    "Hello {name}, “{title}” is useful to a broad audience of customers: we are building it for everyone, aiming for {quarter}.",
  "mail.decided.sponsored.subject": "“{title}”: sponsorship possible",
  "mail.decided.sponsored":
    "Hello {name}, “{title}” serves a specific need rather than a broad audience, so we offer it as sponsored development: sponsorship possible, quote coming.",
  "mail.decided.declined.subject": "“{title}” was declined",
  "mail.decided.declined": "Hello {name}, we decided not to build “{title}”. This is our reason:",
  "mail.decided.alreadyExists.subject": "“{title}” is already possible",
  "mail.decided.alreadyExists":
    "Hello {name}, what “{title}” asks for can already be done today. This is how:",
  "mail.decided.helpLink": "Read the help article",
  "mail.status.inProgress.subject": "Work started on “{title}”",
  "mail.status.inProgress": "Hello {name}, we started building “{title}”.",
  "mail.status.funded.subject": "“{title}” is funded",
  "mail.status.funded":
    "Hello {name}, the development of “{title}” is funded, thank you! It is on the roadmap.",
  "mail.status.shipped.subject": "“{title}” shipped",
  "mail.status.shipped": "Hello {name}, “{title}” is available now to every organization.",
  "mail.merged.subject": "“{title}” was merged into “{target}”",
  "mail.merged.intro":
    "Hello {name}, “{title}” asks for the same as “{target}”, so we merged them: its votes, followers and comments are on “{target}” now: a vote you gave it counts there.",
  "mail.merged.action": "Open “{target}”",
  "mail.merged.note":
    "You receive this because you proposed, voted for or followed the merged request.",
  "mail.reopened.subject": "“{title}” is under review again",
  "mail.reopened.intro":
    "Hello {name}, we reopened the decision on “{title}”: it is under review again. This is why:",
  "mail.quote.action": "See the request",
  "mail.quote.note":
    "You get this e-mail because you act for your organization on sponsored development.",
  "mail.quote.offered.subject": "A quote for “{title}”",
  "mail.quote.offered":
    "Hello {name}, we quoted the development of “{title}” for your organization: {amount} including VAT. An admin of your organization can read the terms and accept it on the request's page.",
  "mail.quote.revised.subject": "A revised quote for “{title}”",
  "mail.quote.revised":
    "Hello {name}, the quote for “{title}” was revised (version {version}): {amount} including VAT. The earlier version can no longer be accepted.",
  "mail.quote.lapsed.subject": "Your pledge for “{title}” lapsed",
  "mail.quote.lapsed":
    "Hello {name}, the quote for “{title}” ended before it was fully funded, so your organization's pledge lapsed: nothing is owed.",
  "mail.quote.lapsed.superseded":
    "It was replaced by a revised quote, which you can pledge to again.",
  "mail.quote.lapsed.withdrawn": "The product team withdrew it.",
  "mail.quote.lapsed.expired": "It expired at the end of its last valid day.",
  "mail.quote.accepted.subject": "{org} accepted the quote for “{title}”",
  "mail.quote.accepted":
    "Hello {name}, {org} accepted version {version} of the quote for “{title}” ({amount} including VAT in all).",
  "mail.quote.declined.subject": "{org} declined the quote for “{title}”",
  "mail.quote.declined":
    "Hello {name}, {org} declined version {version} of the quote for “{title}”.",
  "mail.quote.funded.subject": "“{title}” is funded",
  "mail.quote.funded":
    "Hello {name}, the quote for “{title}” is fully funded ({amount} including VAT). The product team will plan its development.",
  "mail.quote.wish.subject": "{org} would like “{title}”",
  "mail.quote.wish":
    "Hello {name}, {org} from your organization would like the organization to accept the quote for “{title}” ({amount} including VAT). As an admin, you can read the terms and accept it on the request's page.",
  // E-mail helper (issue 13): preferences' footers, grouped updates, official answers,
  // announcements, the weekly digest.
  "mail.footer.unsubscribe": "Unsubscribe from these e-mails",
  "mail.footer.preferences": "Your e-mail preferences",
  "mail.footer.news": "You receive this because you asked for product news.",
  "mail.footer.announcementFollower":
    "You receive this because you follow a request this announcement covers.",
  "mail.footer.digest": "You receive this weekly digest because you turned it on.",
  "mail.group.subject": "{count} updates on requests you follow",
  "mail.group.intro": "Hello {name}, here are the {count} latest updates on requests you follow:",
  "mail.group.action": "Open the board",
  "mail.group.followerNote":
    "You receive this because you follow these requests. You can unfollow each on its page.",
  "mail.answer.subject": "An official answer on “{title}”",
  "mail.answer.intro": "Hello {name}, {staff} from the product team answered “{title}” officially:",
  "mail.announcement.subject": "New in Broadly: {title}",
  "mail.announcement.fallback": "This announcement is written in Hebrew only.",
  "mail.announcement.sponsored": "Sponsored by {sponsors}. Thank you!",
  "mail.announcement.action": "Read the announcement",
  "mail.digest.subject": "Your weekly Broadly digest",
  "mail.digest.intro": "Hello {name}, here is what changed this week on the requests you follow:",
  "mail.digest.status": "Its status changed to {status} on {date}.",
  "mail.digest.answer": "An official answer from the product team on {date}.",
  "mail.digest.announcement": "Announcement: {title}",
  "mail.digest.action": "Open the board",
};
