// The product areas the demo seed and the bench data set file requests under.
export const DEMO_CATEGORIES = [
  ["invoices", "חשבוניות וקבלות", "Invoices & receipts"],
  ["payments", "סליקה ותשלומים", "Payments & clearing"],
  ["accounting", "הנהלת חשבונות ודוחות", "Accounting & reports"],
  ["customers", "לקוחות ואנשי קשר", "Customers & contacts"],
  ["inventory", "מלאי ומוצרים", "Inventory & products"],
  ["integrations", "אינטגרציות ו-API", "Integrations & API"],
  ["mobile", "אפליקציה לנייד", "Mobile app"],
  ["general", "כללי", "General"],
] as const;
