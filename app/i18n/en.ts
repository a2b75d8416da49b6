// English. Typed against the Hebrew catalog, so a missing or extra key fails the typecheck.
import type { he } from "./he";

export const en: Record<keyof typeof he, string> = {
  "app.name": "Broadly",
  "app.tagline": "Feature requests, votes and sponsored development",
  "meta.description":
    "Our customers' feature board: suggest, vote, and be the first to hear when it ships.",

  "nav.main": "Main",
  "nav.board": "Board",
  "nav.roadmap": "Roadmap",
  "nav.announcements": "Announcements",
  "nav.skipToContent": "Skip to content",
  "nav.home": "Broadly home",

  "lang.label": "Language",
  "lang.switch": "Change language",
  "lang.he": "עברית",
  "lang.en": "English",

  "account.menu": "Account menu",
  "account.signedInAs": "Signed in as",
  "account.currentOrg": "Current organization",
  "account.noOrg": "Not in an organization yet",
  "account.switchTo": "Switch to {org}",
  "account.switchHeading": "Switch organization",
  "account.settings": "Account settings",
  "account.orgSettings": "Organization settings",
  "account.newOrg": "New organization",
  "account.allOrgs": "All organizations",
  "account.signOut": "Sign out",
  "account.signIn": "Sign in",
  "account.signUp": "Sign up",
  "account.staff": "Staff",

  "footer.about": "Broadly: an open-source feature board with customer-sponsored development.",
  "footer.policy":
    "We build what is smart for a broad audience of customers. The rest can be sponsored, and everyone benefits.",

  "home.title": "What is missing for you?",
  "home.lead":
    "Here our customer organizations suggest new capabilities, vote on what matters to them and see what is coming. What helps a broad audience we build for everyone. What mainly one organization needs can be sponsored, and everyone else benefits from the same work.",
  "home.cta.signUp": "Join for free",
  "home.cta.signIn": "Already registered? Sign in",
  "home.cta.createOrg": "Create an organization",
  "home.welcome": "Hello, {name}",
  "home.actingFor": "You are acting for {org}.",
  "home.needOrg":
    "To suggest and vote you need an organization: create one, or ask your admins for an invitation.",
  "home.staffNote":
    "You are signed in as staff. You see every organization and act as staff, not for an organization.",
  "home.step1.title": "Suggest",
  "home.step1.body":
    "Describe what is missing and why it matters. Similar requests show up while you type, so nothing is asked twice.",
  "home.step2.title": "Vote",
  "home.step2.body":
    "Every user votes once per request. We also count how many organizations asked: that is what shows broad demand.",
  "home.step3.title": "Decide together",
  "home.step3.body":
    "The team marks a request as useful for everyone, or as sponsored development with a price quote. Every shipped feature is announced to all.",
  "home.boardSoon.title": "The board opens soon",
  "home.boardSoon.body":
    "Requests, votes and search come next. Meanwhile you can sign up, set up your organization and invite your team.",

  "soon.badge": "Coming soon",
  "soon.roadmap.title": "Roadmap",
  "soon.roadmap.body":
    "What is planned, in progress and recently shipped will appear here as soon as the team starts triaging requests.",
  "soon.announcements.title": "Announcements",
  "soon.announcements.body":
    "Every shipped feature will be announced here, with a feed for RSS readers and e-mail for those who ask.",
  "soon.backHome": "Back to the home page",

  "field.name": "Full name",
  "field.email": "E-mail",
  "field.password": "Password",
  "field.passwordHint": "At least 10 characters. A short sentence you remember works well.",
  "field.currentPassword": "Current password",
  "field.newPassword": "New password",
  "field.language": "Interface language",
  "field.languageAuto": "Automatic (from the browser)",
  "field.orgName": "Organization name",
  "field.orgNameHint": "The name your colleagues and we will see, such as your company's name.",
  "field.role": "Role",
  "field.required": "required",

  "error.required": "This field is required.",
  "error.invalid": "This value is not valid.",
  "error.emailInvalid":
    "That e-mail address doesn't look right. Check it has an @ and a domain, like name@company.com.",
  "error.nameTooLong": "80 characters at most, please.",
  "error.orgNameTooShort": "The organization name needs at least 2 characters.",
  "error.passwordTooShort": "The password needs at least 10 characters.",
  "error.passwordTooLong": "The password is too long (200 characters at most).",
  "error.emailTaken": "An account with this e-mail already exists. Try signing in instead.",
  "error.invalidCredentials": "The e-mail or password is wrong.",
  "error.signInLimited": "Too many sign-in attempts. Try again in {minutes} minutes.",
  "error.signUpLimited": "Too many sign-ups from this address. Try again in {minutes} minutes.",
  "error.inviteLimited": "Too many invitations in the last hour. Try again in {minutes} minutes.",
  "error.wrongPassword": "The current password is wrong.",
  "error.formSummary": "Please fix the highlighted fields.",

  "signIn.title": "Sign in to Broadly",
  "signIn.lead": "Welcome back. Sign in to suggest, vote and follow.",
  "signIn.submit": "Sign in",
  "signIn.noAccount": "No account yet?",
  "signIn.signUpLink": "Sign up",

  "signUp.title": "Create your account",
  "signUp.lead": "One account for all your organizations. Signing up takes less than a minute.",
  "signUp.submit": "Create account",
  "signUp.haveAccount": "Already have an account?",
  "signUp.signInLink": "Sign in",
  "signUp.invitedHint":
    "Invited to an organization? Sign up with the e-mail address the invitation was sent to.",

  "toast.signedIn": "Hello {name}, you are signed in.",
  "toast.signedUp": "Welcome, {name}! Your account is ready.",
  "toast.signedOut": "You are signed out. See you soon!",
  "toast.profileSaved": "Your details are saved.",
  "toast.passwordChanged": "Password changed. Your other sessions were signed out.",
  "toast.orgCreated": "{org} is created. You are its admin.",
  "toast.orgSwitched": "You are now acting for {org}.",
  "toast.invited": "Invitation sent to {email}.",
  "toast.invitationRevoked": "The invitation is revoked.",
  "toast.roleChanged": "{name} is now {role}.",
  "toast.memberRemoved": "{name} was removed from the organization.",
  "toast.left": "You left {org}.",
  "toast.joined": "You joined {org}. Welcome!",
  "toast.languageChanged": "Interface language updated.",
  "toast.dismiss": "Dismiss message",

  "account.title": "Account settings",
  "account.profile.title": "Your details",
  "account.profile.emailNote":
    "Your e-mail is used to sign in and for notifications. To change it, contact us.",
  "account.profile.save": "Save details",
  "account.password.title": "Change password",
  "account.password.note":
    "After the change, your account's other sessions (devices and browsers) are signed out.",
  "account.password.save": "Change password",
  "account.orgs.title": "My organizations",
  "account.orgs.empty": "You are not a member of any organization yet.",
  "account.orgs.open": "Manage {org}",

  "orgNew.title": "Create an organization",
  "orgNew.lead":
    "An organization is the company or team you suggest and vote for. Whoever creates it becomes its admin and can invite colleagues.",
  "orgNew.submit": "Create organization",
  "orgNew.inviteHint":
    "Waiting for an invitation? Ask your organization's admins to invite {email}. The link will reach you by e-mail.",
  "orgNew.staffRefused": "Staff accounts act as staff and don't join organizations.",

  "orgs.title": "Organizations",
  "orgs.lead": "Every customer organization, by name. Staff can view all of them.",
  "orgs.members": "{count} members",
  "orgs.empty": "No organizations yet.",
  "orgs.created": "Created {date}",

  "org.title": "{org}",
  "org.staffView": "You are viewing this organization as staff. Its admins manage its members.",
  "org.adminView":
    "Your organization's members, their roles and invitations. Admins invite, change roles and remove members.",
  "org.memberView": "Only the organization's admins can invite members and change roles.",
  "org.members.title": "Members",
  "org.members.count": "{count} members",
  "org.members.name": "Name",
  "org.members.email": "E-mail",
  "org.members.role": "Role",
  "org.members.joined": "Joined",
  "org.members.actions": "Actions",
  "org.members.you": "(you)",
  "org.members.makeAdmin": "Make admin",
  "org.members.makeMember": "Make member",
  "org.members.remove": "Remove",
  "org.members.removeLabel": "Remove {name} from the organization",
  "org.members.leave": "Leave organization",
  "org.members.lastAdmin":
    "You are the only admin: make someone else admin before you leave or change your role.",
  "org.invite.title": "Invite colleagues",
  "org.invite.lead": "We e-mail a personal link to join. It works once, for 14 days.",
  "org.invite.submit": "Send invitation",
  "org.invitations.title": "Pending invitations",
  "org.invitations.empty": "No pending invitations. Invite colleagues with the form above.",
  "org.invitations.email": "E-mail",
  "org.invitations.role": "Role",
  "org.invitations.invitedBy": "Invited by",
  "org.invitations.expires": "Valid until",
  "org.invitations.revoke": "Revoke",
  "org.error.adminOnly": "Only the organization's admins can do that.",
  "org.error.alreadyMember": "This person is already a member.",
  "org.error.invitationGone": "This invitation is no longer valid.",
  "org.error.notAMember": "This user is not a member of the organization.",
  "org.error.lastAdmin": "An organization needs at least one admin. Make someone else admin first.",
  "org.error.staffCannotJoin": "Staff accounts act as staff and don't join organizations.",

  "role.member": "member",
  "role.admin": "admin",

  "invite.title": "Join {org}",
  "invite.lead": "{inviter} invited you to join {org} on Broadly as {role}.",
  "invite.sentTo": "Invitation sent to",
  "invite.accept": "Join {org}",
  "invite.signUpToAccept": "Sign up and join",
  "invite.signInToAccept": "Have an account? Sign in",
  "invite.wrongAccount":
    "This invitation was sent to another address. Sign out, then sign in (or sign up) with the address it was sent to.",
  "invite.invalid":
    "This link is not valid. It may have been copied in part: open it again from the e-mail.",
  "invite.expired": "This invitation has expired. Ask the organization's admins for a new one.",
  "invite.revoked":
    "The organization's admins revoked this invitation. Ask them for a new one if you need it.",
  "invite.alreadyUsed": "This invitation has already been used.",
  "invite.problemTitle": "This invitation can't be used",

  "mail.invite.subject": "{inviter} invited you to join {org} on Broadly",
  "mail.invite.intro":
    "{inviter} invited you to join {org} on Broadly, the feature request board, as {role}.",
  "mail.invite.action": "Accept the invitation",
  "mail.invite.expiry": "The link is personal and valid until {date}.",
  "mail.invite.ignore": "Not expecting this? You can ignore this e-mail.",

  "error.404.title": "Page not found",
  "error.404.body": "The link may be wrong, or your account may not be allowed to see this page.",
  "error.403.title": "Not allowed",
  "error.403.body": "Your account is not allowed to do that.",
  "error.500.title": "Something went wrong",
  "error.500.body":
    "Something failed on our side. Try again in a moment; if it keeps happening, tell us.",
  "error.status": "Error {status}",
  "error.backHome": "Back to the home page",

  "status.open": "Under review",
  "status.planned": "Planned",
  "status.in_progress": "In progress",
  "status.shipped": "Shipped",
  "status.declined": "Declined",
  "status.already_exists": "Already possible",
  "status.merged": "Merged",
  "status.quoted": "Quoted",
  "status.funded": "Funded",
};
