/**
 * Code lists of the dossier records. Values are stored as these strings; the GraphQL enums of the
 * same names are registered in src/graphql/enums.ts.
 */

export enum RegistrationStatus {
  ACTIVE = 'ACTIVE', // 存续
  SUSPENDED = 'SUSPENDED', // 停业
  REVOKED = 'REVOKED', // 吊销
  DEREGISTERED = 'DEREGISTERED', // 注销
}

export enum EiaDecision {
  APPROVED = 'APPROVED', // 予以批复
  APPROVED_WITH_CONDITIONS = 'APPROVED_WITH_CONDITIONS',
  REJECTED = 'REJECTED', // 不予批复
  FILED = 'FILED', // 备案 (registration-form projects)
}

export enum EiaDocumentType {
  REPORT = 'REPORT', // 环境影响报告书
  REPORT_FORM = 'REPORT_FORM', // 环境影响报告表
  REGISTRATION_FORM = 'REGISTRATION_FORM', // 环境影响登记表
}

export enum PermitClass {
  KEY = 'KEY', // 重点管理
  SIMPLIFIED = 'SIMPLIFIED', // 简化管理
  REGISTRATION = 'REGISTRATION', // 登记管理
}

/** How often a permit requires an execution report (排污许可证执行报告), as the permit states it (HJ 944-2018). */
export enum ExecutionReportFrequency {
  ANNUAL = 'ANNUAL', // 年度
  QUARTERLY = 'QUARTERLY', // 季度
  MONTHLY = 'MONTHLY', // 月度
}

export enum PermitStatus {
  VALID = 'VALID',
  EXPIRED = 'EXPIRED',
  SUSPENDED = 'SUSPENDED',
  REVOKED = 'REVOKED',
  CANCELLED = 'CANCELLED',
}

export enum InspectionType {
  ROUTINE = 'ROUTINE', // 日常检查
  RANDOM = 'RANDOM', // 双随机
  COMPLAINT = 'COMPLAINT', // 信访投诉
  JOINT_CROSS_BORDER = 'JOINT_CROSS_BORDER', // 跨界联合执法
  SPECIAL_CAMPAIGN = 'SPECIAL_CAMPAIGN', // 专项行动
}

/** Why an inspection took place: on the plan (the random-check or yearly plan), or set off by something. */
export enum InspectionOrigin {
  PLANNED = 'PLANNED', // 计划内检查
  TRIGGERED = 'TRIGGERED', // 触发式检查
}

/** What set off a TRIGGERED inspection; `triggerReference` names the record (complaint no., alert id, transfer no.…). */
export enum InspectionTrigger {
  COMPLAINT = 'COMPLAINT', // 信访投诉
  ALERT = 'ALERT', // 预警（在线监控、预警规则）
  TRANSFER = 'TRANSFER', // 移送、交办
  LEAD = 'LEAD', // 案件线索
  OTHER = 'OTHER',
}

/** Where an inspection was made: at the firm's site, or off-site (online monitoring, records, remote video). */
export enum InspectionSite {
  ONSITE = 'ONSITE', // 现场检查
  OFFSITE = 'OFFSITE', // 非现场检查
}

export enum InspectionOutcome {
  COMPLIANT = 'COMPLIANT', // 未发现问题
  RECTIFICATION_ORDERED = 'RECTIFICATION_ORDERED', // 责令整改
  CASE_FILED = 'CASE_FILED', // 立案查处
  TRANSFERRED = 'TRANSFERRED', // 移送
}

export enum InspectionStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
}

/** The eight on-site steps of the zone's mobile enforcement procedure, in order. */
export enum InspectionStep {
  CHECK_IN = 'CHECK_IN', // 定位签到
  SHOW_CREDENTIALS = 'SHOW_CREDENTIALS', // 亮证告知
  VERIFY_INFORMATION = 'VERIFY_INFORMATION', // 信息核实
  ON_SITE_CHECK = 'ON_SITE_CHECK', // 现场检查
  RECORD = 'RECORD', // 笔录制作
  PRINT_AND_SIGN = 'PRINT_AND_SIGN', // 打印签名
  ARCHIVE = 'ARCHIVE', // 电子归档
  COMPLETE = 'COMPLETE', // 任务完成
}
export const INSPECTION_STEPS = Object.values(InspectionStep);

/** Penalty categories of the Administrative Penalty Law (2021) Art. 9, light to heavy, plus OTHER. */
export enum PenaltyCategory {
  WARNING = 'WARNING', // 警告
  CIRCULATED_CRITICISM = 'CIRCULATED_CRITICISM', // 通报批评
  FINE = 'FINE', // 罚款
  CONFISCATION_OF_ILLEGAL_GAINS = 'CONFISCATION_OF_ILLEGAL_GAINS', // 没收违法所得
  CONFISCATION_OF_ILLEGAL_PROPERTY = 'CONFISCATION_OF_ILLEGAL_PROPERTY', // 没收非法财物
  LICENCE_SUSPENSION = 'LICENCE_SUSPENSION', // 暂扣许可证件
  QUALIFICATION_DOWNGRADE = 'QUALIFICATION_DOWNGRADE', // 降低资质等级
  LICENCE_REVOCATION = 'LICENCE_REVOCATION', // 吊销许可证件
  PRODUCTION_RESTRICTION = 'PRODUCTION_RESTRICTION', // 限制开展生产经营活动
  PRODUCTION_SUSPENSION = 'PRODUCTION_SUSPENSION', // 责令停产停业
  CLOSURE = 'CLOSURE', // 责令关闭
  PRACTICE_RESTRICTION = 'PRACTICE_RESTRICTION', // 限制从业
  ADMINISTRATIVE_DETENTION = 'ADMINISTRATIVE_DETENTION', // 行政拘留
  OTHER = 'OTHER', // 其他
}

export enum PenaltyStatus {
  DECIDED = 'DECIDED', // 已作出决定
  EXECUTED = 'EXECUTED', // 已执行
  UNDER_REVIEW = 'UNDER_REVIEW', // 复议/诉讼中
  REVOKED = 'REVOKED', // 已撤销
}

export enum ComplaintChannel {
  HOTLINE_12345 = 'HOTLINE_12345',
  HOTLINE_12369 = 'HOTLINE_12369',
  WEB = 'WEB',
  LETTER = 'LETTER',
  VISIT = 'VISIT',
}

export enum EnvironmentalElement {
  AIR = 'AIR',
  SURFACE_WATER = 'SURFACE_WATER',
  GROUNDWATER = 'GROUNDWATER',
  SOIL = 'SOIL',
  NOISE = 'NOISE',
  SOLID_WASTE = 'SOLID_WASTE',
  RADIATION = 'RADIATION',
  ECOLOGY = 'ECOLOGY',
  GENERAL = 'GENERAL',
}

export enum ComplaintStatus {
  RECEIVED = 'RECEIVED',
  IN_PROGRESS = 'IN_PROGRESS',
  REPLIED = 'REPLIED',
  CLOSED = 'CLOSED',
}

export enum CreditScheme {
  NATIONAL_2013 = 'NATIONAL_2013', // 环发〔2013〕150号: green/blue/yellow/red
  JIANGSU_5 = 'JIANGSU_5', // 江苏五色榜: green/blue/yellow/red/black
  SHANGHAI_2024 = 'SHANGHAI_2024', // 沪环规〔2024〕18号
  ZHEJIANG_2025 = 'ZHEJIANG_2025', // 浙江 2025 办法
}

/** Level names per scheme, best first; a level is stored as its code within the scheme. */
export const CREDIT_LEVELS: Record<CreditScheme, Record<string, string>> = {
  [CreditScheme.NATIONAL_2013]: { GREEN: '环保诚信企业', BLUE: '环保良好企业', YELLOW: '环保警示企业', RED: '环保不良企业' },
  [CreditScheme.JIANGSU_5]: { GREEN: '绿色', BLUE: '蓝色', YELLOW: '黄色', RED: '红色', BLACK: '黑色' },
  [CreditScheme.SHANGHAI_2024]: { A: '很好', B: '好', C: '一般', D: '差', E: '很差' },
  [CreditScheme.ZHEJIANG_2025]: { GREEN: '绿牌', BLUE: '蓝牌', YELLOW: '黄牌', RED: '红牌' },
};

export function creditLevelName(scheme: CreditScheme, level: string): string | undefined {
  return CREDIT_LEVELS[scheme]?.[level];
}
